import { pack as tarPack, type Extract, type Pack } from 'tar-stream';

// tar-stream's extractor and packer entries are streamx writables, not node ones: node's
// `pipeline` and `events.once` do not fit them, so the few moves the server's tar routes and
// the CLI's batched transfers need live here.

/** A writable of tar-stream: an extractor, or one entry of a packer. */
export type TarSink = Extract | ReturnType<Pack['entry']>;

/**
 * Writes `chunk`, then waits while `sink` is over its buffer limit. Returns false when the sink
 * was destroyed (by its reader giving up, or a failure), so the writer can stop producing.
 */
export async function writeChunk(sink: TarSink, chunk: Uint8Array): Promise<boolean> {
  if (sink.destroying) return false;
  if (sink.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
  return !sink.destroying;
}

/**
 * Settles when `sink` has finished (resolves) or failed (rejects with its error); a sink
 * destroyed without an error resolves, since whoever destroyed it reports why. Call right after
 * creating the sink: streamx throws an 'error' nobody listens to.
 */
export function sinkSettled(sink: TarSink): Promise<void> {
  const settled = new Promise<void>((resolve, reject) => {
    sink.once('finish', resolve);
    sink.once('close', resolve);
    sink.once('error', reject);
  });
  // Observed by whoever awaits it later; until then a failure must not count as unhandled.
  settled.catch(() => undefined);
  return settled;
}

/**
 * Feeds `source` into `sink` with backpressure and ends it. A failing source destroys the sink
 * with the source's error, which is also returned (undefined otherwise); a sink destroyed by its
 * reader stops the feeding early, without reading the rest of the source.
 */
export async function feedSink(source: AsyncIterable<Uint8Array>, sink: TarSink): Promise<unknown> {
  try {
    for await (const chunk of source) if (!(await writeChunk(sink, chunk))) return undefined;
    sink.end(undefined); // streamx's typings make the optional argument required
    return undefined;
  } catch (error) {
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    return error;
  }
}

/** Chunk size for sending a tar: its pieces are headers and entry bodies, often far smaller. */
export const SEND_CHUNK_BYTES = 64 * 1024;

/**
 * A tar packer's output joined into chunks of about SEND_CHUNK_BYTES: writing each small
 * header and entry to a socket on its own cost more than the bytes themselves.
 */
export async function* joinedChunks(pack: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of pack) {
    parts.push(chunk as Uint8Array);
    size += (chunk as Uint8Array).byteLength;
    if (size < SEND_CHUNK_BYTES) continue;
    yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    parts = [];
    size = 0;
  }
  if (size > 0) yield Buffer.concat(parts, size);
}

/**
 * A tar stream produced as the consumer reads: `write` adds entries to the packer and
 * finalizes it. A failure of `write` fails the stream; a consumer that stops early destroys the
 * packer, which `write` sees as `pack.destroying` (and writeChunk returning false), and the
 * stream ends only once `write` has returned.
 */
export async function* packedTar(write: (pack: Pack) => Promise<void>): AsyncGenerator<Uint8Array> {
  const pack = tarPack();
  const writing = write(pack).catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  try {
    yield* joinedChunks(pack);
  } finally {
    pack.destroy();
    await writing;
  }
}
