import type { AnnotationSource } from '../core/labels/annotation.ts';

/** The `source` of every annotation read from `format`: no author and no time, so re-importing gives the same hash. */
export function importedFrom(format: string): AnnotationSource {
  return { type: 'import', format };
}
