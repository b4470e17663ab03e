import { useEffect, useState } from 'react';
import { commitLog, type CommitInfo } from './dataset-api.ts';
import { FailureNotice } from './failure-notice.tsx';
import { ShortHash, Time } from './short-hash.tsx';
import { usePages } from './use-pages.ts';

/** Props of {@link CommitLog}. */
export interface CommitLogProps {
  readonly project: string;
  readonly dataset: string;
  readonly branch: string;
  readonly selected: string | null;
  readonly onItems: (commit: CommitInfo) => void;
  readonly onDiff: (from: string, to: string) => void;
}

/**
 * The commits of a branch, newest first (more on demand): id, snapshot hash, author, message
 * and time; per commit its items or its changes from its parent, and a comparison of any two
 * commits of the list. Mount it with `key={branch}`: its choices belong to one branch.
 */
export function CommitLog({ project, dataset, branch, selected, onItems, onDiff }: CommitLogProps) {
  const log = usePages((after) => commitLog(project, dataset, branch, after), [project, dataset, branch]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // Compare the two newest commits until the reader picks others.
  useEffect(() => {
    setTo((current) => current || log.nodes[0]?.id || '');
    setFrom((current) => current || log.nodes[1]?.id || '');
  }, [log.nodes]);

  return (
    <section className="commit-log" data-testid="commit-log" aria-label={`Commits of ${branch}`}>
      <h2>Commits of {branch}</h2>
      {log.error !== null && <FailureNotice error={log.error} retry={log.reload} testId="log-failure" />}
      {log.nodes.length >= 2 && (
        <form
          className="compare"
          onSubmit={(e) => {
            e.preventDefault();
            if (from && to && from !== to) onDiff(from, to);
          }}
        >
          <CommitChoice label="From" testId="compare-from" commits={log.nodes} value={from} onChange={setFrom} />{' '}
          <CommitChoice label="to" testId="compare-to" commits={log.nodes} value={to} onChange={setTo} />{' '}
          <button type="submit" data-testid="compare-button" disabled={!from || !to || from === to}>
            Compare
          </button>
        </form>
      )}
      <ol className="plain-list">
        {log.nodes.map((c) => (
          <li key={c.id} data-testid="commit-row" data-commit={c.id} className={c.id === selected ? 'selected' : undefined}>
            <div>
              <ShortHash value={c.id} /> <span className="muted">snapshot</span> <ShortHash value={c.snapshot.hash} testId="commit-snapshot" />
            </div>
            <div className="commit-message">{c.message || <em className="muted">no message</em>}</div>
            <div className="muted">
              {c.author} · <Time iso={c.time} /> · {c.snapshot.itemCount} items
            </div>
            <div className="actions">
              <button type="button" className="small" data-testid="commit-items" onClick={() => onItems(c)}>
                Items
              </button>
              <button
                type="button"
                className="small secondary"
                data-testid="commit-changes"
                disabled={c.parents.length === 0}
                title={c.parents.length === 0 ? 'The first commit has no parent to compare with' : 'Changes from its first parent'}
                onClick={() => c.parents[0] && onDiff(c.parents[0].id, c.id)}
              >
                Changes
              </button>
            </div>
          </li>
        ))}
      </ol>
      {log.loading && <p className="status">Loading commits…</p>}
      {log.hasMore && !log.loading && (
        <button type="button" onClick={log.more}>
          Older commits
        </button>
      )}
    </section>
  );
}

/** One end of a comparison: a commit of the list, shown by its short id and message. */
function CommitChoice({ label, testId, commits, value, onChange }: { label: string; testId: string; commits: readonly CommitInfo[]; value: string; onChange: (id: string) => void }) {
  return (
    <label>
      {label}{' '}
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {commits.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id.slice(0, 12)} {c.message.slice(0, 40)}
          </option>
        ))}
      </select>
    </label>
  );
}
