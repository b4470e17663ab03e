/**
 * YOLO stores coordinates as fractions of the image size; Sheaf stores pixels. Reading rounds
 * each pixel coordinate to a step that depends on the image's size along that axis:
 * 0.01 px up to 5 000 px, 0.1 px up to 50 000 px, 1 px beyond. Writing prints fractions with 6
 * decimals, which moves a value by at most 0.5e-6 of the size (0.75e-6 for a box corner, made
 * of a centre and a half width): under half a step, so reading a written file gives back the
 * same pixels exactly, and read → write → read is lossless.
 */
export function stepsPerPixel(size: number): number {
  return size <= 5_000 ? 100 : size <= 50_000 ? 10 : 1;
}

/** A normalized coordinate in pixels of an axis of `size` pixels, rounded to 1 / `stepsPerPixel(size)`. */
export function toPixels(fraction: number, size: number): number {
  const perPixel = stepsPerPixel(size);
  // `+ 0` turns -0 into 0: canonical JSON and deep equality would otherwise see two values.
  return Math.round(fraction * size * perPixel) / perPixel + 0;
}

/** A pixel coordinate as YOLO writes it: a fraction of `size` with 6 decimals. */
export function toFraction(pixels: number, size: number): string {
  const text = (pixels / size).toFixed(6);
  return text === '-0.000000' ? '0.000000' : text;
}
