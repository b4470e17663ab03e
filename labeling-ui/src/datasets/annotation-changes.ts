import type { Annotation } from '../../../core/labels/annotation.ts';

/** How one annotation differs between two versions of an item. */
export interface AnnotationChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly id: string;
  /** The annotation after the change (before it, for a removal). */
  readonly annotation: Annotation;
  /** The annotation before the change, for `changed`. */
  readonly previous?: Annotation;
}

/**
 * The annotation-level difference of two versions of an item's annotations, matched by
 * annotation id (ids keep their identity across edits): added, removed and changed ones, in
 * the order of the newer list, removals last. `null` (not labeled) counts as no annotations.
 */
export function annotationChanges(before: readonly Annotation[] | null, after: readonly Annotation[] | null): AnnotationChange[] {
  const old = new Map((before ?? []).map((a) => [a.id, a]));
  const changes: AnnotationChange[] = [];
  const seen = new Set<string>();
  for (const annotation of after ?? []) {
    seen.add(annotation.id);
    const previous = old.get(annotation.id);
    if (!previous) changes.push({ change: 'added', id: annotation.id, annotation });
    else if (stableJson(previous) !== stableJson(annotation)) changes.push({ change: 'changed', id: annotation.id, annotation, previous });
  }
  for (const annotation of before ?? []) if (!seen.has(annotation.id)) changes.push({ change: 'removed', id: annotation.id, annotation });
  return changes;
}

/** A short description of an annotation for lists: kind, class and where it is. */
export function describeAnnotation(a: Annotation): string {
  const round = (n: number): string => String(Math.round(n * 10) / 10);
  switch (a.kind) {
    case 'class':
      return `class ${a.label}`;
    case 'box':
      return `box ${a.label} [${a.box.map(round).join(', ')}]`;
    case 'polygon':
      return `polygon ${a.label} (${a.points.length} points)`;
    case 'keypoints':
      return `keypoints ${a.label} (${a.points.filter((p) => p[2] > 0).length} placed)`;
    case 'mask':
      return `mask ${a.label} ${a.rle.size.join('×')}`;
    case 'span':
      return `span ${a.label} [${a.start}, ${a.end})`;
    case 'range':
      return `range ${a.label} [${round(a.start)}, ${round(a.end)}]`;
  }
}

/** Where an annotation came from and what a human decided about it, in words. */
export function describeProvenance(a: Annotation): string {
  const parts: string[] = [];
  const s = a.source;
  if (s?.type === 'human') parts.push(`by ${s.author}${s.time ? ` at ${s.time}` : ''}`);
  else if (s?.type === 'model') parts.push(`pre-label of model ${s.model} (confidence ${s.confidence.toFixed(2)})${s.time ? ` at ${s.time}` : ''}`);
  else if (s?.type === 'import') parts.push(`imported from ${s.format}`);
  else parts.push('origin unknown');
  if (a.review) parts.push(`${a.review.decision} by ${a.review.by}${a.review.time ? ` at ${a.review.time}` : ''}`);
  return parts.join(', ');
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
