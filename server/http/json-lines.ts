import { SEND_CHUNK_BYTES } from '../../adapters/tar/tar-sink.ts';

/**
 * `values` as JSON Lines (one JSON text and a newline each), in chunks of about
 * SEND_CHUNK_BYTES: a socket write per line would cost more than the lines.
 */
export async function* jsonLines(values: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  let text = '';
  for await (const value of values) {
    text += `${JSON.stringify(value)}\n`;
    if (text.length < SEND_CHUNK_BYTES) continue;
    yield Buffer.from(text);
    text = '';
  }
  if (text) yield Buffer.from(text);
}
