/**
 * A plain `Uint8Array` view of bytes a driver returned (`pg` gives a `Buffer`, PGlite a
 * `Uint8Array`), so callers see one type whichever database is behind. No copy.
 */
export function asUint8Array(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
