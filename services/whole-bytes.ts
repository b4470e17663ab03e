/**
 * The bytes of a stream, whole: its one chunk as it is when it comes in one (a small blob read
 * from the store does; no copy), else the chunks joined.
 */
export async function wholeBytes(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  if (parts.length !== 1) return Buffer.concat(parts);
  const only = parts[0]!;
  return Buffer.isBuffer(only) ? only : Buffer.from(only.buffer, only.byteOffset, only.byteLength);
}
