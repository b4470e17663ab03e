import { pack as tarPack, type Header } from 'tar-stream';

/** One entry of a test archive: a regular file unless `type` says otherwise. */
export interface TestEntry {
  readonly name: string;
  readonly content?: string | Uint8Array;
  readonly type?: Header['type'];
}

/** A whole tar archive of `entries`, as any tar tool writes it (end-of-archive blocks included). */
export async function tarOf(entries: readonly TestEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const collected = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const entry of entries) {
    if (entry.type === 'symlink' || entry.type === 'link') pack.entry({ name: entry.name, type: entry.type, linkname: '../../etc/passwd' });
    else if (entry.type && entry.type !== 'file') pack.entry({ name: entry.name, type: entry.type });
    else pack.entry({ name: entry.name }, Buffer.from(entry.content ?? ''));
  }
  pack.finalize();
  return collected;
}

/** `bytes` as a stream of chunks of `size`, as a network would hand them over. */
export async function* chunked(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}
