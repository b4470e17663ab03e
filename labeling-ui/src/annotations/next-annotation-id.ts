import type { Annotation } from '../../../core/labels/annotation.ts';

/**
 * A fresh annotation id for an item: `a<n>` with `n` one above the highest `a<n>` already
 * used, so ids stay unique within the item and follow the `a1`, `a2`… numbering importers use.
 * Ids of other shapes (e.g. from an outside tool or a model) are left alone and never collide
 * with it. The one rule for every annotation the UI creates: shapes, spans, ranges, classes.
 */
export function nextAnnotationId(annotations: readonly Annotation[]): string {
  let highest = 0;
  for (const annotation of annotations) {
    const match = /^a(\d+)$/.exec(annotation.id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `a${highest + 1}`;
}
