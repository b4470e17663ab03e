import type { ReactNode } from 'react';
import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { classColor } from './class-colors.ts';
import type { AnnotationSelection } from './use-annotation-selection.ts';

/** Props of {@link AnnotationRows}. */
export interface AnnotationRowsProps<T extends Annotation> {
  /** The list's accessible name, e.g. "Spans". */
  readonly name: string;
  /** Test ids: `<testId>-list` on the list, `<testId>-item` on each row. */
  readonly testId: string;
  readonly annotations: readonly T[];
  readonly schema: LabelSchema;
  /** The labeler's selection: a row's buttons select or remove its annotation. */
  readonly selection: Pick<AnnotationSelection, 'selectedId' | 'select' | 'remove'>;
  /** What an annotation is, shown on its select button. */
  readonly describe: (annotation: T) => ReactNode;
  /** The delete button's accessible name, e.g. "Delete span person 0-5". */
  readonly deleteLabel: (annotation: T) => string;
}

/**
 * A labeler's list of the parts it marked, one row each: the class colour, a button selecting
 * the annotation and one deleting it; the selected row has `aria-selected`. Nothing when empty.
 */
export function AnnotationRows<T extends Annotation>(props: AnnotationRowsProps<T>) {
  const { annotations, schema, selection } = props;
  const { selectedId } = selection;
  if (annotations.length === 0) return null;
  return (
    <ul aria-label={props.name} data-testid={`${props.testId}-list`} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {annotations.map((a) => (
        <li
          key={a.id}
          data-testid={`${props.testId}-item`}
          aria-selected={a.id === selectedId}
          style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '2px 4px', background: a.id === selectedId ? '#eef' : undefined }}
        >
          <span style={{ width: 10, height: 10, borderRadius: 2, background: classColor(schema, a.label), flex: 'none' }} />
          <button type="button" onClick={() => selection.select(a.id)} style={{ background: 'none', border: 'none', padding: 0, font: 'inherit', textAlign: 'left', cursor: 'pointer' }}>
            {props.describe(a)}
          </button>
          <button type="button" aria-label={props.deleteLabel(a)} onClick={() => selection.remove(a.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
