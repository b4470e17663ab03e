import type { Annotation, AnnotationSource, BoxAnnotation, ProposalReview } from '../../../core/labels/annotation.ts';

/** Who edits, and when: stamped on the annotations they create and the proposals they review. */
export interface Editor {
  readonly user: string;
  /** ISO 8601 UTC. */
  readonly now: () => string;
}

export type Box = readonly [number, number, number, number];
export type Point = readonly [number, number];

/** A fresh annotation id, unique within its item (and, in practice, anywhere). */
export function newAnnotationId(): string {
  return crypto.randomUUID();
}

/** Pixel coordinates are kept to a hundredth of a pixel: finer adds bytes, not information. */
export function roundPx(value: number): number {
  return Math.round(value * 100) / 100;
}

function human(editor: Editor): AnnotationSource {
  return { type: 'human', author: editor.user, time: editor.now() };
}

/** True for a model's proposal (a pre-label) that no human has decided on yet. */
export function isPendingProposal(annotation: Annotation): boolean {
  return annotation.source?.type === 'model' && annotation.review === undefined;
}

/** True for a proposal a human threw out: kept for the record, not drawn. */
export function isRejected(annotation: Annotation): boolean {
  return annotation.review?.decision === 'rejected';
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

export function addBox(annotations: readonly Annotation[], label: string, box: Box, editor: Editor): Annotation[] {
  return [...annotations, { id: newAnnotationId(), kind: 'box', label, box: [...box] as unknown as Box, source: human(editor) }];
}

export function addPolygon(annotations: readonly Annotation[], label: string, points: readonly Point[], editor: Editor): Annotation[] {
  return [...annotations, { id: newAnnotationId(), kind: 'polygon', label, points: points.map((p) => [p[0], p[1]] as const), source: human(editor) }];
}

/** Keypoints `[x, y, v]` in schema order; missing ones are `[0, 0, 0]` (not labeled). */
export function addKeypoints(
  annotations: readonly Annotation[],
  label: string,
  points: readonly (readonly [number, number, number])[],
  count: number,
  editor: Editor,
): Annotation[] {
  const all = Array.from({ length: count }, (_, i) => points[i] ?? ([0, 0, 0] as const));
  return [...annotations, { id: newAnnotationId(), kind: 'keypoints', label, points: all, source: human(editor) }];
}

/**
 * Replaces one annotation by `change(old)`. Changing a model's proposal marks it `edited` by the
 * editor (its source stays the model: that is where it came from).
 */
export function updateAnnotation(annotations: readonly Annotation[], id: string, change: (old: Annotation) => Annotation, editor: Editor): Annotation[] {
  return annotations.map((a) => {
    if (a.id !== id) return a;
    const next = change(a);
    return a.source?.type === 'model' && a.review?.decision !== 'rejected' ? { ...next, review: decision('edited', editor) } : next;
  });
}

export function moveBox(annotation: BoxAnnotation, box: Box): Annotation {
  return { ...annotation, box };
}

export function removeAnnotation(annotations: readonly Annotation[], id: string): Annotation[] {
  return annotations.filter((a) => a.id !== id);
}

/** Accepts a model's proposal as it is: `review: accepted` by the editor, source unchanged. */
export function acceptProposal(annotations: readonly Annotation[], id: string, editor: Editor): Annotation[] {
  return annotations.map((a) => (a.id === id && a.source?.type === 'model' ? { ...a, review: decision('accepted', editor) } : a));
}

/** Rejects a model's proposal: kept with `review: rejected` so the record shows what was thrown out. */
export function rejectProposal(annotations: readonly Annotation[], id: string, editor: Editor): Annotation[] {
  return annotations.map((a) => (a.id === id && a.source?.type === 'model' ? { ...a, review: decision('rejected', editor) } : a));
}

function decision(kind: ProposalReview['decision'], editor: Editor): ProposalReview {
  return { decision: kind, by: editor.user, time: editor.now() };
}

/**
 * Toggles a whole-item class. `single` (the `class` tool): the item has at most one, so
 * choosing another replaces it (and any class proposal); `multi` (the `classes` tool): each
 * class toggles on its own. Turning off a model-proposed class rejects the proposal instead of
 * deleting it.
 */
export function toggleItemClass(annotations: readonly Annotation[], label: string, mode: 'single' | 'multi', editor: Editor): Annotation[] {
  const live = (a: Annotation): boolean => a.kind === 'class' && !isRejected(a);
  const existing = annotations.find((a) => live(a) && a.label === label);
  if (existing) {
    if (existing.source?.type === 'model') return rejectProposal(annotations, existing.id, editor);
    return removeAnnotation(annotations, existing.id);
  }
  // Single-label: the server allows one class annotation in all, a rejected proposal
  // included, so choosing a class replaces every other one.
  const kept = mode === 'single' ? annotations.filter((a) => a.kind !== 'class') : [...annotations];
  return [...kept, { id: newAnnotationId(), kind: 'class', label, source: human(editor) }];
}

/** Gives an annotation another class. */
export function relabel(annotations: readonly Annotation[], id: string, label: string, editor: Editor): Annotation[] {
  return updateAnnotation(annotations, id, (a) => ({ ...a, label }), editor);
}
