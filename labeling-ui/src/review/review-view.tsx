import { useEffect } from 'react';
import { labeling } from '../api/labeling.ts';
import { FailureNotice } from '../datasets/failure-notice.tsx';
import { useAsync } from '../use-async.ts';
import { formatScore } from './format-score.ts';
import { ReviewItem } from './review-item.tsx';
import { useReviewQueue } from './use-review-queue.ts';
import './review.css';

/** How often an empty queue asks again whether something entered review. */
const EMPTY_POLL_MS = 15_000;

/**
 * The review queue of a labeling project, lowest agreement first: each item with every
 * labeler's submission drawn in its own colour, the agreement score and why it is in review;
 * accept (optionally choosing one submission as the result) or reject with a required comment,
 * by button or by the keys A and R. The next items are loaded ahead, so a decision shows the
 * next one at once while the decision is sent.
 */
export function ReviewView({ project, labelingProject }: { project: string; labelingProject: string }) {
  const [info, reloadInfo] = useAsync(async () => {
    try {
      return { project: await labeling.labelingProject(project, labelingProject), error: null };
    } catch (error) {
      return { project: null, error };
    }
  }, [project, labelingProject]);
  const media = info.status === 'ready' && info.value.project ? info.value.project.schema.media : null;
  const queue = useReviewQueue(project, labelingProject, media);

  useEffect(() => {
    if (queue.current !== null || queue.loading || queue.error) return;
    const timer = setInterval(queue.refresh, EMPTY_POLL_MS);
    return () => clearInterval(timer);
  }, [queue.current, queue.loading, queue.error, queue.refresh]);

  if (info.status === 'loading') return <p className="status" role="status">Loading the review queue…</p>;
  if (info.status === 'error') return <FailureNotice error={new Error(info.message)} retry={reloadInfo} testId="review-failure" />;
  const lp = info.value.project;
  if (!lp) return <FailureNotice error={info.value.error} retry={reloadInfo} testId="review-failure" />;

  return (
    <main className="review-view" data-testid="review-view">
      <header className="review-header">
        <h1>Review · {lp.name}</h1>
        <span className="muted">
          {project} · {lp.dataset}@{lp.branch} · {lp.progress.inReview} in review · threshold {formatScore(lp.reviewThreshold)}
        </span>
        <span className="muted" data-testid="review-pending" aria-live="polite">
          {queue.pending > 0 ? `sending ${queue.pending} decision${queue.pending > 1 ? 's' : ''}…` : ''}
        </span>
        <button type="button" className="secondary" onClick={queue.refresh} disabled={queue.loading}>
          Refresh
        </button>
      </header>
      {queue.last && (
        <p role="status" data-testid="review-status" className={queue.last.error ? 'error' : 'muted'}>
          {queue.last.error
            ? `Could not ${queue.last.decision} ${queue.last.path}: ${queue.last.error} — it is back in front.`
            : `${queue.last.decision === 'accept' ? 'Accepted' : 'Rejected'} ${queue.last.path}`}
        </p>
      )}
      {queue.error !== null && queue.current === null ? (
        <FailureNotice error={queue.error} retry={queue.refresh} testId="review-failure" />
      ) : queue.current ? (
        <ReviewItem key={queue.current.path} task={queue.current} schema={lp.schema} waiting={queue.waiting} onDecide={queue.decide} />
      ) : queue.loading ? (
        <p className="status" role="status">
          Loading the review queue…
        </p>
      ) : (
        <p className="status" data-testid="review-empty">
          Nothing to review right now.
        </p>
      )}
    </main>
  );
}
