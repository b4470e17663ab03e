import { useEffect, useRef, useState } from 'react';
import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import type { ReviewTask } from '../api/labeling.ts';
import { classColor } from '../annotations/class-colors.ts';
import { itemClasses } from '../annotations/class-toggles.ts';
import { isRejected } from '../annotations/proposals.ts';
import { formatScore } from './format-score.ts';
import { ImageReview } from './image-review.tsx';
import { SeriesReview } from './series-review.tsx';
import { submissionColor } from './submission-colors.ts';
import { TextReview } from './text-review.tsx';
import type { Decision } from './use-review-queue.ts';

/** Props of {@link ReviewItem}. */
export interface ReviewItemProps {
  readonly task: ReviewTask;
  readonly schema: LabelSchema;
  /** Items loaded behind this one. */
  readonly waiting: number;
  readonly onDecide: (decision: Decision) => void;
}

/**
 * One item in review: the media with the submissions drawn over it, the list of submissions
 * (show or hide each; pick one as the accepted result with its radio button or keys 1–9, 0 for
 * none), and the decision. Keys A (accept) and R (reject) work while no text field has focus;
 * R with no comment yet moves the focus to the comment box, since a rejection needs one.
 */
export function ReviewItem({ task, schema, waiting, onDecide }: ReviewItemProps) {
  const [shown, setShown] = useState(() => task.submissions.map(() => true));
  const [picked, setPicked] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const commentBox = useRef<HTMLTextAreaElement>(null);

  const accept = (): void => {
    const chosen = picked === null ? undefined : task.submissions[picked]?.annotations;
    onDecide({ decision: 'accept', ...(comment.trim() ? { comment: comment.trim() } : {}), ...(chosen ? { annotations: chosen } : {}) });
  };
  const reject = (): void => {
    if (!comment.trim()) {
      setProblem('A rejection needs a comment saying what to fix.');
      commentBox.current?.focus();
      return;
    }
    onDecide({ decision: 'reject', comment: comment.trim() });
  };

  // Latest handlers for the window listener, which is added once.
  const keys = useRef({ accept, reject, pick: setPicked, count: task.submissions.length });
  keys.current = { accept, reject, pick: setPicked, count: task.submissions.length };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'a') keys.current.accept();
      else if (key === 'r') keys.current.reject();
      else if (key === '0') keys.current.pick(null);
      else if (/^[1-9]$/.test(key) && Number(key) <= keys.current.count) keys.current.pick(Number(key) - 1);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <article className="review-item" data-testid="review-item" data-path={task.path}>
      <h2 data-testid="review-path">{task.path}</h2>
      <p className="review-facts">
        Agreement <strong data-testid="review-agreement">{formatScore(task.agreement)}</strong> · <span data-testid="review-reason">{task.reason}</span> ·{' '}
        {task.submissions.length} submission{task.submissions.length === 1 ? '' : 's'} · {waiting} more loaded
      </p>
      <div className="review-body">
        <div className="review-media">
          {schema.media === 'image' && <ImageReview task={task} schema={schema} shown={shown} />}
          {schema.media === 'text' && <TextReview task={task} shown={shown} />}
          {schema.media === 'timeseries' && <SeriesReview task={task} shown={shown} />}
        </div>
        <aside className="review-side">
          <fieldset className="review-submissions">
            <legend>Submissions</legend>
            <label className="review-submission">
              <input type="radio" name="review-result" checked={picked === null} onChange={() => setPicked(null)} />
              <span>No pick: the project's consensus decides (0)</span>
            </label>
            {task.submissions.map((s, i) => (
              <div key={`${s.user}-${i}`} className="review-submission" data-testid={`review-submission-${i}`} data-user={s.user}>
                <span className="swatch" style={{ background: submissionColor(i) }} aria-hidden="true" />
                <label>
                  <input type="radio" name="review-result" data-testid={`review-pick-${i}`} checked={picked === i} onChange={() => setPicked(i)} />
                  <strong>{s.user}</strong> <span className="muted">({i + 1})</span>
                </label>
                <label className="muted">
                  <input type="checkbox" checked={shown[i] ?? true} onChange={(e) => setShown(shown.map((v, j) => (j === i ? e.target.checked : v)))} /> shown
                </label>
                <time className="muted" dateTime={s.time}>
                  {new Date(s.time).toLocaleString()}
                </time>
                <AnnotationSummary annotations={s.annotations} schema={schema} />
              </div>
            ))}
          </fieldset>
          <label htmlFor="review-comment">Comment {picked === null ? '' : `(accepting ${task.submissions[picked]?.user}'s labels)`}</label>
          <textarea
            id="review-comment"
            ref={commentBox}
            data-testid="review-comment"
            rows={3}
            value={comment}
            placeholder="Required to reject: what should the labelers fix?"
            onChange={(e) => {
              setComment(e.target.value);
              setProblem(null);
            }}
            onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
          />
          {problem && (
            <p role="alert" className="error" data-testid="review-problem">
              {problem}
            </p>
          )}
          <div className="actions">
            <button type="button" data-testid="review-accept" onClick={accept}>
              Accept (A)
            </button>
            <button type="button" className="danger" data-testid="review-reject" onClick={reject} aria-describedby="review-comment">
              Reject (R)
            </button>
          </div>
        </aside>
      </div>
    </article>
  );
}

/**
 * Class tags and a count of each kind of annotation of one submission. Model proposals the
 * labeler rejected are kept in the submission but are not its answer: they are left out.
 */
function AnnotationSummary({ annotations, schema }: { annotations: readonly Annotation[]; schema: LabelSchema }) {
  const live = annotations.filter((a) => !isRejected(a));
  if (live.length === 0) return <p className="muted">Nothing marked.</p>;
  const kinds = new Map<string, number>();
  for (const a of live) if (a.kind !== 'class') kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  return (
    <p className="annotation-summary">
      {[...itemClasses(live)].map((label) => (
        <span key={label} className="class-tag" data-testid="class-tag" style={{ borderColor: classColor(schema, label) }}>
          {label}
        </span>
      ))}
      {[...kinds].map(([kind, n]) => (
        <span key={kind} className="muted">
          {' '}
          {n} {n === 1 ? kind : PLURAL[kind] ?? kind}
        </span>
      ))}
    </p>
  );
}

const PLURAL: Record<string, string> = { box: 'boxes', polygon: 'polygons', keypoints: 'keypoint sets', mask: 'masks', span: 'spans', range: 'ranges' };

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
  return target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}
