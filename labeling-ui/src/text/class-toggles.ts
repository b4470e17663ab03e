import type { Annotation, ClassAnnotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { nextAnnotationId } from './next-annotation-id.ts';

/** Whether the schema asks for whole-item classes: `single` (tool `class`), `multi` (`classes`) or not at all. */
export function classificationMode(schema: LabelSchema): 'single' | 'multi' | null {
  if (schema.tools.includes('classes')) return 'multi';
  if (schema.tools.includes('class')) return 'single';
  return null;
}

/**
 * The annotations after toggling the whole-item class `label`: present → removed; absent →
 * added, and in single-label mode every other class annotation is replaced by it. Other kinds
 * of annotation are kept as they are.
 */
export function toggleClass(annotations: readonly Annotation[], label: string, mode: 'single' | 'multi'): Annotation[] {
  const present = annotations.some((a) => a.kind === 'class' && a.label === label);
  if (present) return annotations.filter((a) => !(a.kind === 'class' && a.label === label));
  const added: ClassAnnotation = { id: nextAnnotationId(annotations), kind: 'class', label };
  const kept = mode === 'single' ? annotations.filter((a) => a.kind !== 'class') : [...annotations];
  return [...kept, added];
}
