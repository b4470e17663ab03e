import { labeling, type AnnotationEvent } from '../api/labeling.ts';
import { useAsync } from '../use-async.ts';
import { describeAnnotation, describeProvenance } from './annotation-changes.ts';
import { getItem } from './dataset-api.ts';
import { FailureNotice } from './failure-notice.tsx';
import { ShortHash, Time } from './short-hash.tsx';
import { Thumbnail } from './thumbnail.tsx';

/** Props of {@link ItemPanel}. */
export interface ItemPanelProps {
  readonly project: string;
  readonly dataset: string;
  readonly path: string;
  /** The commit (or ref) the item is shown at. */
  readonly at: string;
  readonly onClose: () => void;
}

const ACTION_WORDS: Record<string, string> = {
  submit: 'labeled',
  skip: 'skipped',
  'review.accept': 'review: accepted',
  'review.reject': 'review: rejected',
  commit: 'committed',
};

/**
 * One item at a commit and its labeling history: the preview, blob and metadata, each
 * annotation with where it came from (a person, a model's pre-label with its confidence, an
 * import) and the review of proposals; then every event newest first — who labeled, skipped,
 * reviewed (with the comment) or committed it, when, in which labeling project, and the commit
 * and snapshot that took the labels in.
 */
export function ItemPanel({ project, dataset, path, at, onClose }: ItemPanelProps) {
  const [item] = useAsync(() => getItem(project, dataset, path, at).then((value) => ({ value, error: null }), (error: unknown) => ({ value: null, error })), [project, dataset, path, at]);
  const [history] = useAsync(
    () => labeling.itemHistory(project, dataset, path).then((value) => ({ value, error: null }), (error: unknown) => ({ value: null as AnnotationEvent[] | null, error })),
    [project, dataset, path],
  );
  return (
    <section className="item-panel" data-testid="item-panel" data-path={path} aria-label={`Item ${path}`}>
      <header className="item-panel-head">
        <h2>{path}</h2>
        <span className="muted">
          at <ShortHash value={at} />
        </span>
        <button type="button" className="secondary small" onClick={onClose} aria-label="Close the item">
          Close
        </button>
      </header>
      {item.status === 'loading' && <p className="status">Loading the item…</p>}
      {item.status === 'ready' && item.value.error !== null && <FailureNotice error={item.value.error} testId="item-failure" />}
      {item.status === 'ready' && item.value.value && (
        <div className="item-facts">
          <Thumbnail project={project} blob={item.value.value.blob} path={path} size={256} />
          <dl>
            <dt>Blob</dt>
            <dd>
              <code className="hash full">{item.value.value.blob}</code> ({item.value.value.size} bytes)
            </dd>
            <dt>Metadata</dt>
            <dd>
              <pre>{JSON.stringify(item.value.value.meta, null, 2)}</pre>
            </dd>
            <dt>Annotations</dt>
            <dd>
              {item.value.value.annotations === null ? (
                <span className="muted">not labeled</span>
              ) : item.value.value.annotations.length === 0 ? (
                <span className="muted">labeled: nothing to mark</span>
              ) : (
                <ul className="plain-list" data-testid="item-annotations">
                  {item.value.value.annotations.map((a) => (
                    <li key={a.id}>
                      {describeAnnotation(a)} <span className="muted">— {describeProvenance(a)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        </div>
      )}
      <h3>History</h3>
      {history.status === 'loading' && <p className="status">Loading the history…</p>}
      {history.status === 'ready' && history.value.error !== null && <FailureNotice error={history.value.error} testId="history-failure" />}
      {history.status === 'ready' && history.value.value && (
        history.value.value.length === 0 ? (
          <p className="status" data-testid="item-history-empty">
            No labeling events for this item.
          </p>
        ) : (
          <ol className="plain-list history" data-testid="item-history">
            {history.value.value.map((event) => (
              <HistoryEvent key={event.id} event={event} />
            ))}
          </ol>
        )
      )}
    </section>
  );
}

function HistoryEvent({ event }: { event: AnnotationEvent }) {
  const proposals = (event.annotations ?? []).filter((a) => a.source?.type === 'model');
  return (
    <li data-testid="history-event" data-action={event.action} data-user={event.user}>
      <Time iso={event.time} /> · <strong>{event.user}</strong> {ACTION_WORDS[event.action] ?? event.action}
      {event.labelingProject && <span className="muted"> in {event.labelingProject}</span>}
      {event.annotations && (
        <span className="muted">
          {' '}
          · {event.annotations.length} annotation{event.annotations.length === 1 ? '' : 's'}
          {proposals.length > 0 &&
            ` (${proposals.length} model pre-label${proposals.length === 1 ? '' : 's'}: ${proposals.map((p) => `${p.review?.decision ?? 'kept'}`).join(', ')})`}
        </span>
      )}
      {event.comment && <q className="comment">{event.comment}</q>}
      {(event.commit || event.snapshot) && (
        <div className="muted">
          {event.commit && (
            <>
              commit <ShortHash value={event.commit} testId="history-commit" />{' '}
            </>
          )}
          {event.snapshot && (
            <>
              snapshot <ShortHash value={event.snapshot} testId="history-snapshot" />
            </>
          )}
        </div>
      )}
    </li>
  );
}
