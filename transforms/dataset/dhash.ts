import { openImage } from '../../adapters/image/open-image.ts';

/**
 * The 64-bit difference hash (dHash) of an image: turned upright, flattened onto white,
 * reduced to 9 × 8 gray pixels, then one bit per horizontally adjacent pair, set when the left
 * pixel is brighter. Near-identical images (re-encoded, resized, slightly retouched) have
 * hashes a few bits apart. As 16 hex digits, row by row, most significant bit first.
 * @throws what openImage's pipeline throws for an image it cannot decode (see imageInputError)
 */
export async function differenceHash(bytes: Buffer, maxPixels: number): Promise<string> {
  const { data, info } = await openImage(bytes, { maxPixels })
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .resize(9, 8, { fit: 'fill', kernel: 'lanczos3' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const gray = (x: number, y: number) => data[(y * 9 + x) * info.channels]!;
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (gray(x, y) > gray(x + 1, y) ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** The number of bits in which two hashes of equal length differ. */
export function hammingDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}
