import { annotationChanges, describeAnnotation, stableJson } from './annotation-changes.ts';
import { diffCommits, type DiffEntryInfo } from './dataset-api.ts';
import { FailureNotice } from './failure-notice.tsx';
import { ShortHash } from './short-hash.tsx';
import { Thumbnail } from './thumbnail.tsx';
import { usePages } from './use-pages.ts';

const KIND_WORDS = { ADDED: 'added', REMOVED: 'removed', MODIFIED: 'changed' } as const;

/**
 * The items that differ between two commits, in path order (more on demand): added, removed
 * and changed items with before and after thumbnails, and what changed — the content, the
 * metadata, and each annotation added, removed or changed.
 */
export function CommitDiff({ project, from, to, onOpen }: { project: string; from: string; to: string; onOpen: (path: string, ref: string) => void }) {
  const diff = usePages((after) => diffCommits(project, from, to, after), [project, from, to]);
  return (
    <section className="commit-diff" aria-label="Changes between two commits">
      <h2>
        Changes from <ShortHash value={from} /> to <ShortHash value={to} />{' '}
        <span className="muted" data-testid="diff-count">
          {diff.nodes.length}
          {diff.hasMore ? '+' : ''} item{diff.nodes.length === 1 ? '' : 's'}
        </span>
      </h2>
      {diff.error !== null && <FailureNotice error={diff.error} retry={diff.reload} testId="diff-failure" />}
      <ul className="plain-list" data-testid="diff-list">
        {diff.nodes.map((entry) => (
          <DiffRow key={entry.path} project={project} entry={entry} onOpen={() => onOpen(entry.path, entry.kind === 'REMOVED' ? from : to)} />
        ))}
      </ul>
      {diff.loading && <p className="status">Comparing…</p>}
      {!diff.loading && diff.nodes.length === 0 && diff.error === null && <p className="status">The two commits hold the same items.</p>}
      {diff.hasMore && !diff.loading && (
        <button type="button" onClick={diff.more}>
          More changes
        </button>
      )}
    </section>
  );
}

function DiffRow({ project, entry, onOpen }: { project: string; entry: DiffEntryInfo; onOpen: () => void }) {
  const { before, after } = entry;
  const changes = annotationChanges(before?.annotations ?? null, after?.annotations ?? null);
  const notes: string[] = [];
  if (before && after && before.blob !== after.blob) notes.push('content changed');
  if (before && after && stableJson(before.meta) !== stableJson(after.meta)) notes.push('metadata changed');
  if (before && after && (before.annotations === null) !== (after.annotations === null))
    notes.push(after.annotations === null ? 'labels cleared' : 'labeled');
  return (
    <li className={`diff-entry diff-${entry.kind.toLowerCase()}`} data-testid="diff-entry" data-path={entry.path} data-kind={entry.kind}>
      <div className="diff-head">
        <span className="badge">{KIND_WORDS[entry.kind]}</span>{' '}
        <button type="button" className="link" onClick={onOpen} title="Open the item and its history">
          {entry.path}
        </button>
      </div>
      <div className="diff-sides">
        <figure>
          {before ? <Thumbnail project={project} blob={before.blob} path={before.path} size={96} /> : <div className="thumbnail thumbnail-none" style={{ width: 96, height: 96 }}>—</div>}
          <figcaption>before</figcaption>
        </figure>
        <figure>
          {after ? <Thumbnail project={project} blob={after.blob} path={after.path} size={96} /> : <div className="thumbnail thumbnail-none" style={{ width: 96, height: 96 }}>—</div>}
          <figcaption>after</figcaption>
        </figure>
        <div className="diff-details">
          {notes.length > 0 && <p className="muted">{notes.join(' · ')}</p>}
          {changes.length > 0 && (
            <ul className="annotation-changes" data-testid="annotation-changes">
              {changes.map((c) => (
                <li key={`${c.change}-${c.id}`} className={`change-${c.change}`} data-change={c.change}>
                  {c.change === 'added' ? '+ ' : c.change === 'removed' ? '− ' : '~ '}
                  {c.previous && describeAnnotation(c.previous) !== describeAnnotation(c.annotation)
                    ? `${describeAnnotation(c.previous)} → ${describeAnnotation(c.annotation)}`
                    : describeAnnotation(c.annotation)}
                  {c.change === 'changed' && c.previous && describeAnnotation(c.previous) === describeAnnotation(c.annotation) && (
                    <span className="muted"> (provenance or attributes)</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </li>
  );
}
