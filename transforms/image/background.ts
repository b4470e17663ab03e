import { z } from 'zod';

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * A colour parameter: `#rrggbb` or `#rgb` (the `#` may be left out, as shells take it for a
 * comment), parsed to lowercase `#rrggbb` — which sharp takes as it is — so that `#FFF` and
 * `ffffff` record the same parameters, and a recorded value parses to itself.
 */
export function colour(fallback: string) {
  const error = 'must be a colour #rrggbb or #rgb';
  return z
    .string({ error })
    .regex(HEX, { error })
    .default(fallback)
    .transform((text) => {
      const hex = HEX.exec(text)![1]!.toLowerCase();
      return `#${hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex}`;
    });
}
