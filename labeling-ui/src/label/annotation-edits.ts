import type { Annotation, BoxAnnotation } from '../../../core/labels/annotation.ts';
import type { Editor } from '../annotations/editor.ts';
import { nextAnnotationId } from '../annotations/next-annotation-id.ts';
import { isRejected, reviewBy } from '../annotations/proposals.ts';

export type Box = readonly [number, number, number, number];
export type Point = readonly [number, number];

/** Pixel coordinates are kept to a hundredth of a pixel: finer adds bytes, not information. */
export function roundPx(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A box normalised to a positive size and clipped to the image. Null when nothing is left. */
export function clipBox(box: Box, width: number, height: number): Box | null {
  let [x, y, w, h] = box;
  if (w < 0) [x, w] = [x + w, -w];
  if (h < 0) [y, h] = [y + h, -h];
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(width, x + w);
  const y1 = Math.min(height, y + h);
  if (x1 - x0 <= 0 || y1 - y0 <= 0) return null;
  return [roundPx(x0), roundPx(y0), roundPx(x1 - x0), roundPx(y1 - y0)];
}

/** A point clipped to the image. */
export function clipPoint(point: Point, width: number, height: number): [number, number] {
  return [roundPx(Math.min(width, Math.max(0, point[0]))), roundPx(Math.min(height, Math.max(0, point[1])))];
}

// New shapes get the next `a<n>` id and no `source`: the server stamps the labeler who submits them.

/** Adds a box `[x, y, w, h]` of class `label`. */
export function addBox(annotations: readonly Annotation[], label: string, box: Box): Annotation[] {
  return [...annotations, { id: nextAnnotationId(annotations), kind: 'box', label, box: [...box] as unknown as Box }];
}

/** Adds a polygon of class `label` through `points`. */
export function addPolygon(annotations: readonly Annotation[], label: string, points: readonly Point[]): Annotation[] {
  return [...annotations, { id: nextAnnotationId(annotations), kind: 'polygon', label, points: points.map((p) => [p[0], p[1]] as const) }];
}

/** Keypoints `[x, y, v]` in schema order; missing ones are `[0, 0, 0]` (not labeled). */
export function addKeypoints(
  annotations: readonly Annotation[],
  label: string,
  points: readonly (readonly [number, number, number])[],
  count: number,
): Annotation[] {
  const all = Array.from({ length: count }, (_, i) => points[i] ?? ([0, 0, 0] as const));
  return [...annotations, { id: nextAnnotationId(annotations), kind: 'keypoints', label, points: all }];
}

/**
 * Replaces one annotation by `change(old)`. Changing a model's proposal marks it `edited` by the
 * editor (its source stays the model: that is where it came from).
 */
export function updateAnnotation(annotations: readonly Annotation[], id: string, change: (old: Annotation) => Annotation, editor: Editor): Annotation[] {
  return annotations.map((a) => {
    if (a.id !== id) return a;
    const next = change(a);
    return a.source?.type === 'model' && !isRejected(a) ? { ...next, review: reviewBy('edited', editor) } : next;
  });
}

export function moveBox(annotation: BoxAnnotation, box: Box): Annotation {
  return { ...annotation, box };
}

/** Removes an annotation outright (a model's proposal is kept and rejected instead: see rejectProposal). */
export function removeAnnotation(annotations: readonly Annotation[], id: string): Annotation[] {
  return annotations.filter((a) => a.id !== id);
}

/** Gives an annotation another class. */
export function relabel(annotations: readonly Annotation[], id: string, label: string, editor: Editor): Annotation[] {
  return updateAnnotation(annotations, id, (a) => ({ ...a, label }), editor);
}
