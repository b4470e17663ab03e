/**
 * One file of a provisioned snapshot, as a layout lays it out (an item's blob, or a member
 * the layout generates, like a WebDataset sample's `.json`): its name in the archive, its size,
 * and how to read its bytes. Readers of blobs verify them against their hash as they go, and
 * fail at the end of a blob whose bytes changed.
 */
export interface ProvisionedEntry {
  readonly name: string;
  readonly size: number;
  open(): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>>;
  /**
   * The whole content at once, read with blocking calls; present for small entries whose bytes
   * are in memory or cheaper to read directly (see BlobService.provisionReaderOf).
   */
  readSync?(): Uint8Array;
  /**
   * Like `readSync`, into `target` at `offset`, where `size + 1` bytes are free (one more than
   * announced, so a longer blob is noticed); returns the bytes read. Present for small blobs of
   * a store that reads into a buffer, so a packer reads them straight into its outgoing chunk.
   */
  readInto?(target: Uint8Array, offset: number): number;
}

/** An entry whose bytes are already in memory. */
export function bytesEntry(name: string, bytes: Uint8Array): ProvisionedEntry {
  return { name, size: bytes.byteLength, open: async () => [bytes], readSync: () => bytes };
}
