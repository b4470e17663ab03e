import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError, ExitCode } from './cli-error.ts';
import { chunks } from './map-concurrent.ts';
import { errorOfResponse, type ServerConnection } from './server-connection.ts';
import { tarOfFiles, type TarFile } from './tar-of-files.ts';

/** The server answers "which are missing" for at most this many hashes per request. */
export const MAX_MISSING_PER_REQUEST = 10_000;

/** What the server recorded for an upload. */
export interface StoredBlob {
  readonly hash: string;
  readonly size: number;
  readonly created: boolean;
}

/** A project's blob routes (`/v1/projects/<project>/blobs`): streamed uploads and downloads, and the missing-set query. */
export class BlobClient {
  private readonly base: string;

  constructor(
    private readonly connection: ServerConnection,
    project: string,
  ) {
    this.base = `/v1/projects/${encodeURIComponent(project)}/blobs`;
  }

  /**
   * The subset of `hashes` the server does not have, asked in batches of at most
   * MAX_MISSING_PER_REQUEST.
   * @throws CliError
   */
  async missing(hashes: readonly string[]): Promise<Set<string>> {
    const missing = new Set<string>();
    for (const batch of chunks([...new Set(hashes)], MAX_MISSING_PER_REQUEST)) {
      const response = await this.connection.fetch(`${this.base}/missing`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hashes: batch }),
      });
      if (!response.ok) throw await errorOfResponse(response, 'asking which blobs are missing');
      const body = (await response.json().catch((error: unknown) => Promise.reject(this.connection.describe(error)))) as {
        missing?: unknown;
      };
      if (!Array.isArray(body.missing)) throw unexpected('the missing-blobs answer has no "missing" list');
      for (const hash of body.missing) missing.add(String(hash));
    }
    return missing;
  }

  /**
   * Streams a file from disk as a blob, claiming its hash so the server refuses content that
   * changed since it was hashed (BLOB_HASH_MISMATCH) instead of storing it under another hash.
   * `onBytes` is called as bytes are read, for progress.
   * @throws CliError BLOB_HASH_MISMATCH, BLOB_TOO_LARGE, UNREACHABLE…
   */
  async uploadFile(file: string, expected: { hash: string; size: number }, onBytes?: (bytes: number) => void): Promise<StoredBlob> {
    // The size was declared in Content-Length: a file that grew or shrank since it was hashed
    // is reported as such rather than as a broken connection.
    const changed = () => new CliError('FILE_CHANGED', `${file} changed while it was being pushed; push again`);
    async function* body(): AsyncGenerator<Uint8Array> {
      let sent = 0;
      for await (const chunk of createReadStream(file)) {
        sent += (chunk as Buffer).byteLength;
        if (sent > expected.size) throw changed();
        onBytes?.((chunk as Buffer).byteLength);
        yield chunk as Buffer;
      }
      if (sent !== expected.size) throw changed();
    }
    const response = await this.connection.fetch(this.base, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(expected.size),
        'x-sheaf-expected-hash': expected.hash,
      },
      // fetch streams an async iterable body; the DOM-derived typings only know web streams.
      body: body() as unknown as RequestInit['body'],
      duplex: 'half',
    } as RequestInit);
    if (!response.ok) throw await errorOfResponse(response, `uploading ${file}`);
    const stored = (await response.json()) as StoredBlob;
    if (stored.hash !== expected.hash) throw unexpected(`the server stored ${file} as ${stored.hash}, not ${expected.hash}`);
    return stored;
  }

  /**
   * Streams many files from disk as blobs in one request (a tar of them, see tarOfFiles), each
   * claiming its hash like `uploadFile`. `onBytes` is called as bytes are read, for progress.
   * @throws CliError FILE_CHANGED, BLOB_HASH_MISMATCH, BLOB_TOO_LARGE, UNREACHABLE…
   */
  async uploadFiles(files: readonly TarFile[], onBytes?: (bytes: number) => void): Promise<StoredBlob[]> {
    const response = await this.connection.fetch(`${this.base}/tar`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-tar' },
      body: tarOfFiles(files, onBytes) as unknown as RequestInit['body'],
      duplex: 'half',
    } as RequestInit);
    if (!response.ok) throw await errorOfResponse(response, `uploading ${files.length} file(s)`);
    const body = (await response.json().catch((error: unknown) => Promise.reject(this.connection.describe(error)))) as {
      blobs?: unknown;
    };
    if (!Array.isArray(body.blobs)) throw unexpected('the tar upload answer has no "blobs" list');
    const stored = body.blobs as StoredBlob[];
    const storedHashes = new Set(stored.map((blob) => blob.hash));
    const lost = files.find((file) => !storedHashes.has(file.blob));
    if (lost) throw unexpected(`the server did not store ${lost.absolutePath} (${lost.blob})`);
    return stored;
  }

  /**
   * The blobs `hashes` as one tar stream, an entry per hash named by it, in the order given.
   * The caller verifies every entry: the stream may be cut short by a corrupt blob or a dropped
   * connection. Errors while reading the stream are CliErrors (UNREACHABLE…).
   * @throws CliError NOT_FOUND (before any byte), INVALID_HASH, UNREACHABLE…
   */
  async downloadMany(hashes: readonly string[]): Promise<AsyncIterable<Uint8Array>> {
    const response = await this.connection.fetch(`${this.base}/fetch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hashes }),
    });
    if (!response.ok) throw await errorOfResponse(response, `downloading ${hashes.length} blob(s)`);
    if (!response.body) throw unexpected('the server sent no body for a blob batch');
    const connection = this.connection;
    const body = response.body as unknown as AsyncIterable<Uint8Array>;
    return (async function* () {
      try {
        yield* body;
      } catch (error) {
        throw connection.describe(error);
      }
    })();
  }

  /**
   * The bytes of a blob as a stream. The caller verifies the hash: the response may be cut
   * short by a corrupt blob or a dropped connection.
   * @throws CliError NOT_FOUND, INVALID_HASH, UNREACHABLE…
   */
  async download(hash: string): Promise<Readable> {
    const response = await this.connection.fetch(`${this.base}/${encodeURIComponent(hash)}`);
    if (!response.ok) throw await errorOfResponse(response, `downloading blob ${hash}`);
    if (!response.body) throw unexpected(`the server sent no body for blob ${hash}`);
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }
}

function unexpected(message: string): CliError {
  return new CliError('UNEXPECTED', message, { exitCode: ExitCode.unexpected });
}
