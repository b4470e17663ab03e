/**
 * CVAT stores a mask as run lengths over its own box (`left`, `top`, `width`, `height`), row by
 * row, starting with a run of background. COCO, and Sheaf's `MaskAnnotation`, run over the
 * whole image column by column, also starting with background. These convert between the two
 * through a bitmap of the image; COCO's compressed string counts are decoded as pycocotools
 * does. Masks are small next to their images, so the bitmap's memory is the image's pixel count.
 */

/** A CVAT mask as it appears in the XML. */
export interface CvatMask {
  readonly counts: readonly number[];
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * COCO uncompressed counts of a CVAT mask on a `imageWidth` × `imageHeight` image.
 * @returns the counts, or an error message when the runs do not fill the mask's box or the box leaves the image.
 */
export function cvatToCoco(mask: CvatMask, imageWidth: number, imageHeight: number): number[] | string {
  const { counts, left, top, width, height } = mask;
  if (left < 0 || top < 0 || left + width > imageWidth || top + height > imageHeight) return 'mask box is outside the image';
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total !== width * height) return `mask runs cover ${total} pixels, its box ${width}×${height} has ${width * height}`;
  const bitmap = new Uint8Array(imageWidth * imageHeight);
  let index = 0;
  counts.forEach((count, run) => {
    for (let end = index + count; index < end; index++) {
      if (run % 2 === 1) bitmap[(left + (index % width)) * imageHeight + top + Math.floor(index / width)] = 1;
    }
  });
  return runLengths(bitmap);
}

/** A COCO mask (`counts` numbers or a compressed string, column-major) as CVAT runs over `box` (x, y, w, h; whole pixels). */
export function cocoToCvat(
  rle: { readonly size: readonly [number, number]; readonly counts: string | readonly number[] },
  box: readonly [number, number, number, number],
): CvatMask {
  const [imageHeight] = rle.size;
  const counts = typeof rle.counts === 'string' ? decodeCocoString(rle.counts) : rle.counts;
  const columnMajor = new Uint8Array(rle.size[0] * rle.size[1]);
  let index = 0;
  counts.forEach((count, run) => {
    if (run % 2 === 1) columnMajor.fill(1, index, index + count);
    index += count;
  });
  const [left, top, width, height] = box;
  const rows = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows[y * width + x] = columnMajor[(left + x) * imageHeight + top + y]!;
  return { counts: runLengths(rows), left, top, width, height };
}

/** The smallest box holding every pixel of a COCO mask, `[x, y, w, h]` (all zero for an empty mask). */
export function cocoMaskBox(rle: { readonly size: readonly [number, number]; readonly counts: string | readonly number[] }): [number, number, number, number] {
  const [imageHeight] = rle.size;
  const counts = typeof rle.counts === 'string' ? decodeCocoString(rle.counts) : rle.counts;
  let minX = Infinity, minY = Infinity, maxX = -1, maxY = -1;
  let index = 0;
  counts.forEach((count, run) => {
    if (run % 2 === 1) {
      for (let i = index; i < index + count; i++) {
        const x = Math.floor(i / imageHeight);
        const y = i % imageHeight;
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
      }
    }
    index += count;
  });
  return maxX < 0 ? [0, 0, 0, 0] : [minX, minY, maxX - minX + 1, maxY - minY + 1];
}

/** Run lengths of a bitmap, starting with a run of zeros (possibly empty). */
function runLengths(bitmap: Uint8Array): number[] {
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (const pixel of bitmap) {
    if (pixel !== value) {
      counts.push(run);
      value = pixel;
      run = 0;
    }
    run++;
  }
  counts.push(run);
  return counts;
}

/** Decodes COCO's compressed counts string (pycocotools `rleFrString`). */
function decodeCocoString(text: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < text.length) {
    let value = 0;
    let k = 0;
    let more = 1;
    while (more) {
      const c = text.charCodeAt(p) - 48;
      value |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p++;
      k++;
      if (!more && c & 0x10) value |= -1 << (5 * k);
    }
    if (counts.length > 2) value += counts[counts.length - 2]!;
    counts.push(value);
  }
  return counts;
}
