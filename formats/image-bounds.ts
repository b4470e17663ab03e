/** Width and height of an image in pixels. */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/**
 * How far geometry may go past the image's edge and still count as inside: coordinates that
 * went through a float conversion (`639.0000001` on a 640-wide image) are not labeling errors.
 */
export const EDGE_TOLERANCE = 1e-3;

/**
 * Why a box `[x, y, width, height]` in pixels is not a box inside `size`, or null when it is.
 * Zero width or height is allowed (some tools export degenerate boxes; they are still facts).
 */
export function boxProblem(box: readonly number[], size: ImageSize | null): string | null {
  if (box.length !== 4 || !box.every(Number.isFinite)) return 'box must be four finite numbers [x, y, width, height]';
  const [x, y, w, h] = box as [number, number, number, number];
  if (w < 0 || h < 0) return `box [${box.join(', ')}] has a negative width or height`;
  if (size && (x < -EDGE_TOLERANCE || y < -EDGE_TOLERANCE || x + w > size.width + EDGE_TOLERANCE || y + h > size.height + EDGE_TOLERANCE))
    return `box [${box.join(', ')}] is outside the ${size.width}×${size.height} image`;
  return null;
}

/** Why point `(x, y)` is not inside `size` (edges included), or null when it is. */
export function pointProblem(x: number, y: number, size: ImageSize | null): string | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return 'point coordinates must be finite numbers';
  if (size && (x < -EDGE_TOLERANCE || y < -EDGE_TOLERANCE || x > size.width + EDGE_TOLERANCE || y > size.height + EDGE_TOLERANCE))
    return `point (${x}, ${y}) is outside the ${size.width}×${size.height} image`;
  return null;
}
