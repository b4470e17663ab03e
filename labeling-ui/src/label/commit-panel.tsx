import { useState } from 'react';
import { messageOf } from '../api/api-error.ts';
import { labeling, type LabelCommit, type LabelingProject } from '../api/labeling.ts';
import type { SubmitQueue } from './submit-queue.ts';

/**
 * Commits the labels staged on the project's branch (reviewers and managers may), once every
 * submission of this page has been acknowledged, and shows the new snapshot hash: the labeled
 * state has a name. An auto-commit made by the server (the project's `autoCommitEvery`) with a
 * submission of this page shows the same way.
 */
export function CommitPanel({ project, submissions, onCommitted }: { project: LabelingProject; submissions?: SubmitQueue; onCommitted?: () => void }) {
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<LabelCommit | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const latest = made ?? submissions?.lastCommit ?? null;

  const commit = async (): Promise<void> => {
    setBusy(true);
    setNote(null);
    try {
      await submissions?.settled();
      const result = await labeling.commitLabels(project.project, project.name);
      if (result) setMade(result);
      else setNote('Nothing to commit: every label is already committed.');
      const refused = submissions?.failed.length ?? 0;
      if (refused > 0) setNote(`${refused} submission(s) were refused and are not in this commit.`);
      onCommitted?.();
    } catch (error) {
      setNote(`Commit failed: ${messageOf(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="commit-panel">
      <h2>Commit</h2>
      {project.autoCommitEvery !== null && <p className="muted">Committed automatically every {project.autoCommitEvery} labels.</p>}
      <button onClick={() => void commit()} disabled={busy} data-testid="commit">
        {busy ? 'Committing…' : `Commit labels to ${project.branch}`}
      </button>
      {latest && (
        <p className="commit-result" data-testid="commit-result">
          Snapshot{' '}
          <code data-testid="commit-snapshot" title={latest.snapshot}>
            {latest.snapshot}
          </code>{' '}
          · {latest.items} items · commit <code title={latest.commit}>{latest.commit.slice(0, 12)}</code>
        </p>
      )}
      {note && (
        <p className="muted" role="status" data-testid="commit-note">
          {note}
        </p>
      )}
    </div>
  );
}
