/**
 * Formats that store boxes by corners (`xmin, ymin, xmax, ymax`: CSV, Pascal VOC, CVAT) and
 * Sheaf's `[x, y, width, height]`. Going through a subtraction and back must give the file's
 * numbers again, or a re-import would change the snapshot hash for nothing.
 */

/** `[x, y, width, height]` of a box given by its corners. */
export function boxFromCorners(xMin: number, yMin: number, xMax: number, yMax: number): [number, number, number, number] {
  return [xMin, yMin, xMax - xMin, yMax - yMin];
}

/**
 * The corners of `[x, y, width, height]`: the shortest decimal `max` whose `max - min` is
 * exactly the width (height), so that `boxFromCorners` gives back the same box
 * (`0.1 + 0.2` is written `0.3`, not `0.30000000000000004`).
 */
export function cornersOfBox(box: readonly [number, number, number, number]): [number, number, number, number] {
  const [x, y, w, h] = box;
  return [x, y, corner(x, w), corner(y, h)];
}

function corner(start: number, size: number): number {
  const sum = start + size;
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = Number(sum.toPrecision(digits));
    if (candidate - start === size) return candidate;
  }
  return sum;
}
