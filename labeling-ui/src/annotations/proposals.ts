import type { Annotation, ProposalReview } from '../../../core/labels/annotation.ts';
import type { Editor } from './editor.ts';

/** True for a model's proposal (a pre-label) that no human has decided on yet. */
export function isPendingProposal(annotation: Annotation): boolean {
  return annotation.source?.type === 'model' && annotation.review === undefined;
}

/** True for a proposal a human threw out: kept for the record, not drawn and not counted. */
export function isRejected(annotation: Annotation): boolean {
  return annotation.review?.decision === 'rejected';
}

/** The review a labeler's decision on a model's proposal records. */
export function reviewBy(decision: ProposalReview['decision'], editor: Editor): ProposalReview {
  return { decision, by: editor.user, time: editor.now() };
}

/** Accepts a model's proposal as it is: `review: accepted` by the editor, source unchanged. */
export function acceptProposal(annotations: readonly Annotation[], id: string, editor: Editor): Annotation[] {
  return annotations.map((a) => (a.id === id && a.source?.type === 'model' ? { ...a, review: reviewBy('accepted', editor) } : a));
}

/** Rejects a model's proposal: kept with `review: rejected` so the record shows what was thrown out. */
export function rejectProposal(annotations: readonly Annotation[], id: string, editor: Editor): Annotation[] {
  return annotations.map((a) => (a.id === id && a.source?.type === 'model' ? { ...a, review: reviewBy('rejected', editor) } : a));
}
