import { extract as tarExtract, pack as tarPack, type Header } from 'tar-stream';
import type { BlobServer } from './http-fixture.ts';

// Client-side helpers of the tar route tests.

/** One tar entry to build: a regular file unless `type` says otherwise. */
export interface TarEntry {
  readonly name: string;
  readonly bytes?: Uint8Array;
  readonly type?: Header['type'];
}

/** A whole tar archive, as any tar tool would write it (end-of-archive blocks included). */
export async function tarOf(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const collected = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const entry of entries) {
    if (entry.type === 'symlink') pack.entry({ name: entry.name, type: 'symlink', linkname: 'elsewhere' });
    else if (entry.type && entry.type !== 'file') pack.entry({ name: entry.name, type: entry.type });
    else pack.entry({ name: entry.name }, Buffer.from(entry.bytes ?? new Uint8Array()));
  }
  pack.finalize();
  return collected;
}

/** The entries of a tar archive, name and bytes, in order. */
export async function entriesOf(tar: Uint8Array): Promise<{ name: string; type: string; bytes: Buffer }[]> {
  const extract = tarExtract();
  extract.end(Buffer.from(tar));
  const out: { name: string; type: string; bytes: Buffer }[] = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    out.push({ name: entry.header.name, type: entry.header.type, bytes: Buffer.concat(chunks) });
  }
  return out;
}

/** `POST /v1/projects/files/blobs/tar` with `body`. */
export function postTar(server: BlobServer, body: Uint8Array): Promise<Response> {
  return fetch(`${server.url}/v1/projects/files/blobs/tar`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: Buffer.from(body) });
}

/** `POST /v1/projects/files/blobs/fetch` with a JSON body (a string is sent as is). */
export function postFetch(server: BlobServer, body: unknown): Promise<Response> {
  return fetch(`${server.url}/v1/projects/files/blobs/fetch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The JSON body of a tar upload's answer, success or failure. */
export interface TarAnswer {
  blobs: { hash: string; size: number; created: boolean }[];
  error?: { code: string; message: string; data?: Record<string, unknown> };
}
