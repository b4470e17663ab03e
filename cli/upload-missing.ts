import type { CommandContext } from './command.ts';
import { mapConcurrent } from './map-concurrent.ts';
import type { LocalFile } from './push-plan.ts';

/** Uploads in flight at once: enough to hide latency, few enough to keep memory and sockets low. */
export const UPLOAD_CONCURRENCY = 8;

/**
 * Uploads the contents the server lacks, each distinct blob once, streamed from disk.
 * Returns the bytes sent.
 * @throws CliError BLOB_HASH_MISMATCH (a file changed since it was hashed), BLOB_TOO_LARGE…
 */
export async function uploadMissing(context: CommandContext, files: readonly LocalFile[]): Promise<{ blobs: number; bytes: number }> {
  const byBlob = new Map<string, LocalFile>();
  for (const file of files) if (!byBlob.has(file.blob)) byBlob.set(file.blob, file);
  if (byBlob.size === 0) return { blobs: 0, bytes: 0 };
  const missing = await context.blobs.missing([...byBlob.keys()]);
  const toSend = [...byBlob.values()].filter((file) => missing.has(file.blob));
  const bytes = toSend.reduce((sum, file) => sum + file.size, 0);
  const progress = context.progress('uploading', bytes, 'bytes');
  try {
    await mapConcurrent(toSend, UPLOAD_CONCURRENCY, (file) =>
      context.blobs.uploadFile(file.absolutePath, { hash: file.blob, size: file.size }, (n) => progress.add(n)),
    );
  } finally {
    progress.stop();
  }
  return { blobs: toSend.length, bytes };
}
