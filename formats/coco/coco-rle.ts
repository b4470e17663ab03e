/**
 * COCO run-length encoding: a mask of `height × width` pixels read column by column (Fortran
 * order), as alternating run lengths of 0s and 1s starting with 0s. `counts` is either the
 * plain list of runs or pycocotools' compressed string (6 bits per character, LEB128-like, each
 * run after the second stored as the difference to the run two before).
 */
export interface CocoRle {
  readonly size: readonly [number, number];
  readonly counts: string | readonly number[];
}

/**
 * The run lengths of `counts`, decoding the compressed string form (pycocotools `rleFrString`).
 * @returns null when the string is not a valid compressed RLE.
 */
export function rleRuns(counts: string | readonly number[]): number[] | null {
  if (typeof counts !== 'string') return [...counts];
  const runs: number[] = [];
  let p = 0;
  while (p < counts.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= counts.length) return null;
      const c = counts.charCodeAt(p) - 48;
      if (c < 0 || c > 63) return null;
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k); // sign extension of the last group
    }
    if (runs.length > 2) x += runs[runs.length - 2]!;
    runs.push(x);
  }
  return runs;
}

/**
 * Why `rle` is not a valid mask, or null: the size must be two non-negative integers and the
 * runs non-negative integers covering exactly `height × width` pixels.
 */
export function rleProblem(rle: { size: unknown; counts: unknown }): string | null {
  const { size, counts } = rle;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isSafeInteger(n) && n >= 0))
    return 'RLE size must be [height, width], two non-negative integers';
  if (typeof counts !== 'string' && !(Array.isArray(counts) && counts.every((n) => typeof n === 'number')))
    return 'RLE counts must be a list of run lengths or a compressed string';
  const runs = rleRuns(counts as string | number[]);
  if (!runs) return 'RLE counts is not a valid compressed string';
  if (!runs.every((n) => Number.isSafeInteger(n) && n >= 0)) return 'RLE run lengths must be non-negative integers';
  const total = runs.reduce((sum, n) => sum + n, 0);
  const pixels = size[0] * size[1];
  if (total !== pixels) return `RLE runs cover ${total} pixels, the ${size[0]}×${size[1]} mask has ${pixels}`;
  return null;
}

/** Pixels set in a valid mask (the COCO `area` of an RLE segmentation). */
export function rleArea(rle: CocoRle): number {
  const runs = rleRuns(rle.counts) ?? [];
  let area = 0;
  for (let i = 1; i < runs.length; i += 2) area += runs[i]!;
  return area;
}

/** The box `[x, y, width, height]` around the set pixels of a valid mask (pycocotools `toBbox`); zeros when empty. */
export function rleBox(rle: CocoRle): [number, number, number, number] {
  const runs = rleRuns(rle.counts) ?? [];
  const h = rle.size[0];
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  let at = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    if (i % 2 === 1 && run > 0) {
      const first = at;
      const last = at + run - 1;
      const x0 = Math.floor(first / h);
      const x1 = Math.floor(last / h);
      xMin = Math.min(xMin, x0);
      xMax = Math.max(xMax, x1);
      // A run that crosses a column boundary covers the whole height somewhere.
      if (x0 < x1) {
        yMin = 0;
        yMax = h - 1;
      } else {
        yMin = Math.min(yMin, first % h);
        yMax = Math.max(yMax, last % h);
      }
    }
    at += run;
  }
  if (xMin === Infinity) return [0, 0, 0, 0];
  return [xMin, yMin, xMax - xMin + 1, yMax - yMin + 1];
}
