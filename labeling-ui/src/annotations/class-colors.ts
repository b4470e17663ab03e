import type { LabelSchema } from '../../../core/labels/label-schema.ts';

/** Drawn for labels the schema does not name (e.g. imported from another tool). */
export const UNKNOWN_CLASS_COLOR = '#888888';

/** The colour of a class of the schema, or grey when the schema does not know it. */
export function classColor(schema: LabelSchema, label: string): string {
  return schema.classes.find((c) => c.name === label)?.color ?? UNKNOWN_CLASS_COLOR;
}

/**
 * `#rrggbb` with an alpha channel (`#rrggbbaa`), for fills that keep the text or plot under
 * them readable. Anything that is not `#rrggbb` is returned unchanged.
 */
export function withAlpha(color: string, alpha: number): string {
  if (!/^#[0-9a-f]{6}$/i.test(color)) return color;
  const byte = Math.round(Math.min(1, Math.max(0, alpha)) * 255);
  return `${color}${byte.toString(16).padStart(2, '0')}`;
}
