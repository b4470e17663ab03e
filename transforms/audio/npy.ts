/**
 * A NumPy `.npy` file (format version 1.0) holding a C-order little-endian float32 array of
 * `shape`: the magic, the header dict padded with spaces to a multiple of 64 bytes and ended
 * by a newline (as numpy writes it), then the data. `numpy.load` reads it as is.
 * @throws RangeError when `values` does not hold exactly the shape's element count
 */
export function encodeNpyFloat32(values: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((product, side) => product * side, 1);
  if (count !== values.length) throw new RangeError(`shape ${shape.join('×')} needs ${count} values, got ${values.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const preamble = 10; // magic (6), version (2), header length (2)
  header = header.padEnd(Math.ceil((preamble + header.length + 1) / 64) * 64 - preamble - 1, ' ') + '\n';
  const out = new Uint8Array(preamble + header.length + values.length * 4);
  const view = new DataView(out.buffer);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  view.setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), preamble);
  for (let i = 0, at = preamble + header.length; i < values.length; i++, at += 4) view.setFloat32(at, values[i]!, true);
  return out;
}
