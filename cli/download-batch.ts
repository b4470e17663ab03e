import type { BlobClient } from './blob-client.ts';
import { CliError, ExitCode } from './cli-error.ts';
import { downloadEntries } from './download-entries.ts';

/**
 * Downloads `batch` in one request and hands each blob's content to `place` as it arrives, in
 * order; `place` must read it to the end (and verify it: the content is only as the server sent
 * it). An answer naming other blobs, or fewer, fails with CORRUPT_OBJECT (exit 3).
 * @throws CliError NOT_FOUND, CORRUPT_OBJECT, UNREACHABLE…, or what `place` throws
 */
export async function downloadBatch<B extends { hash: string; size: number }>(
  blobs: BlobClient,
  batch: readonly B[],
  place: (blob: B, content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) => Promise<void>,
): Promise<void> {
  const source = await blobs.downloadMany(batch.map((blob) => blob.hash));
  let index = 0;
  for await (const entry of downloadEntries(source)) {
    const blob = batch[index++];
    if (!blob || entry.name !== blob.hash || entry.size !== blob.size)
      throw corrupt(`the server sent ${JSON.stringify(entry.name)} (${entry.size} bytes) where ${blob ? `blob ${blob.hash} (${blob.size} bytes)` : 'nothing'} was expected`);
    await place(blob, entry.content);
  }
  if (index !== batch.length) throw corrupt(`the server sent ${index} of ${batch.length} blobs`);
}

function corrupt(message: string): CliError {
  return new CliError('CORRUPT_OBJECT', message, { exitCode: ExitCode.unexpected });
}
