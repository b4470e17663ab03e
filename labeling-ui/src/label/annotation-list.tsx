import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { classColor } from '../annotations/class-colors.ts';
import { isPendingProposal, isRejected } from '../annotations/proposals.ts';

/**
 * The item's annotations, newest last: select one, delete it, and accept (A) or reject (R) a
 * model's proposal. Rejected proposals stay listed (struck through): they are kept in the
 * record; undo brings them back.
 */
export function AnnotationList(props: {
  schema: LabelSchema;
  annotations: readonly Annotation[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onDelete: (id: string) => void;
  onDecide: (id: string, accept: boolean) => void;
}) {
  const { schema, annotations, selectedId } = props;
  return (
    <div className="annotation-list">
      <h2 id="annotation-list-title">Annotations ({annotations.filter((a) => !isRejected(a)).length})</h2>
      {annotations.length === 0 && <p className="muted">None yet. Submitting marks the item as having nothing to mark.</p>}
      <ul aria-labelledby="annotation-list-title" data-testid="annotation-list">
        {annotations.map((a, index) => {
          const pending = isPendingProposal(a);
          const rejected = isRejected(a);
          return (
            <li
              key={a.id}
              className={[a.id === selectedId ? 'selected' : '', rejected ? 'rejected' : '', pending ? 'proposal' : ''].join(' ')}
              data-testid={`annotation-${index}`}
            >
              <button className="annotation-select" aria-pressed={a.id === selectedId} onClick={() => props.onSelect(a.id)}>
                <span className="swatch" style={{ background: classColor(schema, a.label) }} aria-hidden="true" />
                {a.label} <span className="muted">{describe(a)}</span>
              </button>
              {pending && (
                <>
                  <button data-testid="accept-proposal" aria-label={`Accept proposal ${a.label} (A)`} onClick={() => props.onDecide(a.id, true)}>
                    Accept
                  </button>
                  <button data-testid="reject-proposal" aria-label={`Reject proposal ${a.label} (R)`} onClick={() => props.onDecide(a.id, false)}>
                    Reject
                  </button>
                </>
              )}
              {!pending && !rejected && (
                <button aria-label={`Delete ${a.label}`} title="Delete (Del)" onClick={() => props.onDelete(a.id)}>
                  ✕
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function describe(a: Annotation): string {
  const origin =
    a.source?.type === 'model'
      ? ` · model ${a.source.model} ${Math.round(a.source.confidence * 100)}%${a.review ? ` · ${a.review.decision}` : ' · proposal'}`
      : a.source?.type === 'import'
        ? ` · imported (${a.source.format})`
        : '';
  switch (a.kind) {
    case 'box':
      return `box ${a.box.map((v) => Math.round(v)).join(', ')}${origin}`;
    case 'polygon':
      return `polygon, ${a.points.length} points${origin}`;
    case 'keypoints':
      return `keypoints, ${a.points.filter((p) => p[2] > 0).length} placed${origin}`;
    case 'class':
      return `item class${origin}`;
    case 'span':
      return `text ${a.start}–${a.end}${origin}`;
    case 'range':
      return `range ${a.start}–${a.end}${origin}`;
    case 'mask':
      return `mask${origin}`;
  }
}
