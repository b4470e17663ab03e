import { Readable } from 'node:stream';
import type { Logger } from 'pino';

/**
 * A response body streamed from `chunks` as the client reads. A failure after the status line
 * is gone can only cut the response short; it is logged here (the request log would show only
 * an aborted response) and ends the stream.
 */
export function streamedBody(chunks: AsyncIterable<Uint8Array>, log: Logger, what: string): Readable {
  async function* logged(): AsyncGenerator<Uint8Array> {
    try {
      yield* chunks;
    } catch (error) {
      log.error({ err: error }, `${what} failed after the response started`);
      throw error;
    }
  }
  return Readable.from(logged(), { objectMode: false });
}

/**
 * Passes content on one chunk behind, counting it: a whole-blob read is verified against its
 * hash when it ends, and holding the last chunk until then means corrupt content reaches the
 * client short of its Content-Length — a failed download, never a complete-looking wrong one.
 */
export async function* heldBack(content: AsyncIterable<Uint8Array>, counted?: (byteLength: number) => void): AsyncGenerator<Uint8Array> {
  let held: Uint8Array | undefined;
  for await (const chunk of content) {
    if (held) {
      counted?.(held.byteLength);
      yield held;
    }
    held = chunk;
  }
  if (held) {
    counted?.(held.byteLength);
    yield held;
  }
}
