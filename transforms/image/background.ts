import { z } from 'zod';

/** An opaque sRGB colour. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * A colour parameter: `#rrggbb` or `#rgb` (the `#` may be left out, as shells treat it as a
 * comment). Parsed to its components, so `#FFF` and `ffffff` record the same parameters.
 */
export function colour(fallback: string) {
  return z
    .string({ error: 'must be a colour #rrggbb or #rgb' })
    .regex(HEX, { error: 'must be a colour #rrggbb or #rgb' })
    .default(fallback)
    .transform((text): Rgb => {
      let hex = HEX.exec(text)![1]!;
      if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
      const value = Number.parseInt(hex, 16);
      return { r: value >> 16, g: (value >> 8) & 0xff, b: value & 0xff };
    });
}
