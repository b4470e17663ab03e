/** One line of a line-delimited body: its bytes (without the newline), or how long it ran when over the limit. */
export type Line = { readonly number: number; readonly bytes: Buffer } | { readonly number: number; readonly tooLong: true };

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines (`\n`, with a `\r` before it dropped), numbered from 1, as
 * the chunks arrive. Memory stays within `maxLineBytes` plus one chunk: a line longer than that
 * is reported as `tooLong` and its bytes are skipped up to the next newline. A last line without
 * a newline counts; a trailing newline does not make an empty last line.
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let number = 1;
  let started = false;
  const finish = (): Line => {
    const bytes = tooLong ? null : stripCr(Buffer.concat(parts, length));
    const line: Line = bytes === null || bytes.length > maxLineBytes ? { number, tooLong: true } : { number, bytes };
    parts = [];
    length = 0;
    tooLong = false;
    started = false;
    number++;
    return line;
  };
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = 0;
    while (at < bytes.length) {
      const end = bytes.indexOf(NEWLINE, at);
      const stop = end === -1 ? bytes.length : end;
      started = true;
      if (!tooLong) {
        // One byte of slack for a `\r` that the newline will strip.
        if (length + (stop - at) > maxLineBytes + 1) {
          tooLong = true;
          parts = [];
          length = 0;
        } else if (stop > at) {
          // Copied: the caller may reuse its chunk buffers.
          parts.push(Buffer.from(bytes.subarray(at, stop)));
          length += stop - at;
        }
      }
      if (end === -1) break;
      yield finish();
      at = end + 1;
    }
  }
  if (started) yield finish();

  function stripCr(line: Buffer): Buffer {
    return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
  }
}
