import type { SubmitQueue } from './submit-queue.ts';

/**
 * Whether the labeler's work has reached the server: "saving N" while submissions are on
 * their way (retried until acknowledged), and each refused one with its reason and a way to
 * send it again or drop it.
 */
export function SubmitStatus({ submissions }: { submissions: SubmitQueue }) {
  const pending = submissions.pending;
  const failed = submissions.failed;
  const retrying = pending.find((p) => p.error);
  return (
    <div className="submit-status" data-testid="submit-status" data-pending={pending.length} data-failed={failed.length} role="status" aria-live="polite">
      {pending.length === 0 && failed.length === 0 && <span className="ok">All saved</span>}
      {pending.length > 0 && (
        <span className="pending" title={retrying?.error ?? undefined}>
          Saving {pending.length}…{retrying ? ' (retrying)' : ''}
        </span>
      )}
      {failed.map((f) => (
        <span key={f.id} className="failed" role="alert">
          Not saved: {f.path} — {f.error}
          <button onClick={() => submissions.retry(f.id)}>Send again</button>
          <button className="secondary" onClick={() => submissions.discard(f.id)}>
            Drop
          </button>
        </span>
      ))}
    </div>
  );
}
