import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import * as assert from 'uvu/assert';
import type { BlobServer } from './http-fixture.ts';

// Client-side helpers of the blob route tests.

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const base64Sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
export const UNKNOWN = 'ab'.repeat(32);

/** Random bytes produced in uneven chunks, so uploads really stream (no Content-Length). */
export async function* randomChunks(total: number, seen?: Buffer[]): AsyncGenerator<Uint8Array> {
  let sent = 0;
  while (sent < total) {
    const chunk = randomBytes(Math.min(total - sent, 40_000 + Math.floor(Math.random() * 100_000)));
    seen?.push(chunk);
    sent += chunk.byteLength;
    yield chunk;
  }
}

// Node's fetch streams any (async) iterable of bytes, but its typings lag TypeScript's generic
// Uint8Array and lack `duplex`, which a streamed request body needs.
export const asBody = (body: unknown) => body as NonNullable<RequestInit['body']>;
export const HALF_DUPLEX = { duplex: 'half' } as RequestInit;

/** `PUT /v1/projects/files/blobs`; an async iterable body is streamed without a Content-Length. */
export function put(
  server: BlobServer,
  body: Uint8Array | AsyncIterable<Uint8Array> | string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  return fetch(`${server.url}/v1/projects/files/blobs`, {
    method: 'PUT',
    signal,
    headers,
    body: asBody(body),
    ...(typeof body === 'object' && Symbol.asyncIterator in body ? HALF_DUPLEX : {}),
  });
}

export const blobUrl = (server: BlobServer, hash: string) => `${server.url}/v1/projects/files/blobs/${hash}`;

export async function putOk(server: BlobServer, bytes: Buffer): Promise<string> {
  const res = await put(server, bytes);
  assert.ok(res.status === 201 || res.status === 200, `upload status ${res.status}`);
  return ((await res.json()) as { hash: string }).hash;
}

export async function headStatus(server: BlobServer, hash: string): Promise<number> {
  return (await fetch(blobUrl(server, hash), { method: 'HEAD' })).status;
}

export async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

/**
 * Writes raw HTTP/1.1 `requests` on one connection and collects the status lines received until
 * the server closes it or `expected` responses arrived. fetch cannot show this: it drops its own
 * connection when a response arrives before the request body was sent.
 */
export function rawExchange(server: BlobServer, requests: (string | Buffer)[], expected: number): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    let received = '';
    const statuses = () => received.match(/HTTP\/1\.1 \d{3}/g) ?? [];
    socket.on('data', (data) => {
      received += data.toString('latin1');
      if (statuses().length >= expected) socket.destroy();
    });
    // A reset after the responses is the expected end of an oversized upload.
    socket.on('error', () => {});
    socket.on('close', () => resolve(statuses()));
    for (const request of requests) if (!socket.destroyed) socket.write(request);
  });
}
