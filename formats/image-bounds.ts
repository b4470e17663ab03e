/** Width and height of an image in pixels. */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/**
 * How far (in pixels) geometry may reach past the image's edge and still count as inside: up
 * to, not including, half a pixel. A coordinate less than half a pixel outside does not reach
 * the centre of any pixel beyond the image, so it marks nothing that is not in the image; it is
 * rounding, not a labeling error. Real files do this: the corners of rotated boxes overshoot
 * (the Ultralytics oriented-box sample has a corner at y = −0.098 px, −0.009808 of a 10 px
 * image), normalized values are rounded to six decimals, and float conversions give
 * `640.0000001` on a 640-wide image. Half a pixel or more out covers an outside pixel's centre
 * and is reported. Every reader uses this one rule, so a file is accepted or refused the same way
 * whatever its format.
 */
export const EDGE_TOLERANCE = 0.5;

/**
 * Whether the point (x, y) in pixels lies within a `width` × `height` image, edges included,
 * allowing less than `EDGE_TOLERANCE` past each edge. False for non-finite coordinates.
 */
export function insideImage(x: number, y: number, width: number, height: number): boolean {
  return x > -EDGE_TOLERANCE && y > -EDGE_TOLERANCE && x < width + EDGE_TOLERANCE && y < height + EDGE_TOLERANCE;
}

/**
 * Why a box `[x, y, width, height]` in pixels is not a box inside `size` (by `insideImage`), or
 * null when it is. Zero width or height is allowed (some tools export degenerate boxes; they are
 * still facts).
 */
export function boxProblem(box: readonly number[], size: ImageSize | null): string | null {
  if (box.length !== 4 || !box.every(Number.isFinite)) return 'box must be four finite numbers [x, y, width, height]';
  const [x, y, w, h] = box as [number, number, number, number];
  if (w < 0 || h < 0) return `box [${box.join(', ')}] has a negative width or height`;
  if (size && !(insideImage(x, y, size.width, size.height) && insideImage(x + w, y + h, size.width, size.height)))
    return `box [${box.join(', ')}] is outside the ${size.width}×${size.height} image`;
  return null;
}

/** Why point `(x, y)` is not inside `size` (by `insideImage`, edges included), or null when it is. */
export function pointProblem(x: number, y: number, size: ImageSize | null): string | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return 'point coordinates must be finite numbers';
  if (size && !insideImage(x, y, size.width, size.height)) return `point (${x}, ${y}) is outside the ${size.width}×${size.height} image`;
  return null;
}
