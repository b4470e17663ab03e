import type { CommandContext } from './command.ts';
import { mapConcurrent } from './map-concurrent.ts';
import type { LocalFile } from './push-plan.ts';
import { planTransfers, TRANSFER_CONCURRENCY } from './transfer-batches.ts';

/**
 * Uploads the contents the server lacks, each distinct blob once, streamed from disk: small
 * files many to a request (tar batches), large ones one per request (see planTransfers).
 * Returns the blobs and bytes sent.
 * @throws CliError FILE_CHANGED or BLOB_HASH_MISMATCH (a file changed since it was hashed),
 * BLOB_TOO_LARGE, UNREACHABLE…
 */
export async function uploadMissing(context: CommandContext, files: readonly LocalFile[]): Promise<{ blobs: number; bytes: number }> {
  const byBlob = new Map<string, LocalFile>();
  for (const file of files) if (!byBlob.has(file.blob)) byBlob.set(file.blob, file);
  if (byBlob.size === 0) return { blobs: 0, bytes: 0 };
  const missing = await context.blobs.missing([...byBlob.keys()]);
  const toSend = [...byBlob.values()].filter((file) => missing.has(file.blob));
  const bytes = toSend.reduce((sum, file) => sum + file.size, 0);
  const { batches, singles } = planTransfers(toSend, (file) => file.size);
  const progress = context.progress('uploading', bytes, 'bytes');
  const onBytes = (n: number) => progress.add(n);
  const requests: (() => Promise<unknown>)[] = [
    ...batches.map((batch) => () => context.blobs.uploadFiles(batch, onBytes)),
    ...singles.map((file) => () => context.blobs.uploadFile(file.absolutePath, { hash: file.blob, size: file.size }, onBytes)),
  ];
  try {
    await mapConcurrent(requests, TRANSFER_CONCURRENCY, (request) => request());
  } finally {
    progress.stop();
  }
  return { blobs: toSend.length, bytes };
}
