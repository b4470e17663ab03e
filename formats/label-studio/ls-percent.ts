/**
 * Label Studio stores image geometry in percent of the image's size (0–100); Sheaf in pixels.
 * The two conversions live together so that pixels → percent → pixels gives back the same
 * number exactly, or a re-import would change the snapshot hash for nothing.
 */

/** Significant digits kept in pixels: far below a pixel, and enough to wash out float noise. */
const PIXEL_DIGITS = 12;

/**
 * Pixels of `percent` of `size`, to 12 significant digits: a box drawn on whole pixels comes
 * out whole (81, not 80.99999999999999), and every value has a percent that maps back to it.
 */
export function pixelsOf(percent: number, size: number): number {
  return Number(((percent * size) / 100).toPrecision(PIXEL_DIGITS));
}

/**
 * The shortest decimal percent that `pixelsOf` turns back into exactly `pixels`; found for any
 * pixels of at most 12 significant digits (all that a read gives), so read → write → read is exact.
 */
export function percentOf(pixels: number, size: number): number {
  const exact = (pixels * 100) / size;
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = Number(exact.toPrecision(digits));
    if (pixelsOf(candidate, size) === pixels) return candidate;
  }
  // Pixels with more than 12 significant digits (never read from a file) come back rounded.
  return exact;
}
