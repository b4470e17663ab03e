import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import type { Editor } from './editor.ts';

/** What every labeler of one item's media (text spans, series ranges) is given besides the item. */
export interface LabelerProps {
  readonly schema: LabelSchema;
  readonly annotations: readonly Annotation[];
  /** Who decides when turning off a whole-item class rejects a model's proposal. */
  readonly editor: Editor;
  /** The class new annotations get; null: a gesture marks nothing (a hint says to pick a class). */
  readonly activeClass: string | null;
  /** Called with the whole new annotation list after every edit. */
  readonly onChange: (next: Annotation[]) => void;
}
