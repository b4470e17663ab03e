import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import type { Editor } from './editor.ts';
import { nextAnnotationId } from './next-annotation-id.ts';
import { isRejected, rejectProposal } from './proposals.ts';

/** How whole-item classes are chosen: one per item (`single`) or any number (`multi`). */
export type ClassificationMode = 'single' | 'multi';

/** Whether the schema asks for whole-item classes: `multi` (tool `classes`), `single` (`class`) or not at all. */
export function classificationMode(schema: LabelSchema): ClassificationMode | null {
  if (schema.tools.includes('classes')) return 'multi';
  if (schema.tools.includes('class')) return 'single';
  return null;
}

/** The whole-item classes the item has: class annotations, rejected proposals left out. */
export function itemClasses(annotations: readonly Annotation[]): Set<string> {
  return new Set(annotations.filter((a) => a.kind === 'class' && !isRejected(a)).map((a) => a.label));
}

/**
 * Toggles the whole-item class `label`. Present → turned off: a labeler's own class is
 * removed, a model-proposed one is rejected (kept with `review: rejected` by the editor, so
 * the record shows what was thrown out). Absent → added with a fresh id and no `source` (the
 * server stamps the labeler); in `single` mode it replaces every other class annotation,
 * proposals and rejected ones included. Other kinds of annotation are kept as they are.
 */
export function toggleItemClass(annotations: readonly Annotation[], label: string, mode: ClassificationMode, editor: Editor): Annotation[] {
  const existing = annotations.find((a) => a.kind === 'class' && !isRejected(a) && a.label === label);
  if (existing) {
    if (existing.source?.type === 'model') return rejectProposal(annotations, existing.id, editor);
    return annotations.filter((a) => a !== existing);
  }
  // Single-label: the server allows one class annotation in all, a rejected proposal
  // included, so choosing a class replaces every other one.
  const kept = mode === 'single' ? annotations.filter((a) => a.kind !== 'class') : [...annotations];
  return [...kept, { id: nextAnnotationId(annotations), kind: 'class', label }];
}
