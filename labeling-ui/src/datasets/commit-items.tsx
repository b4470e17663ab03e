import { listItems, type CommitInfo } from './dataset-api.ts';
import { FailureNotice } from './failure-notice.tsx';
import { ShortHash } from './short-hash.tsx';
import { Thumbnail } from './thumbnail.tsx';
import { usePages } from './use-pages.ts';

/**
 * The items of one commit as a grid of lazily loaded thumbnails in path order, a page at a
 * time; a click opens the item with its history.
 */
export function CommitItems({ project, dataset, commit, onOpen }: { project: string; dataset: string; commit: CommitInfo; onOpen: (path: string, ref: string) => void }) {
  const items = usePages((after) => listItems(project, dataset, commit.id, after), [project, dataset, commit.id]);
  return (
    <section className="commit-items" aria-label="Items of the commit">
      <h2>
        Items of <ShortHash value={commit.id} /> <span className="muted">({commit.snapshot.itemCount} in snapshot <ShortHash value={commit.snapshot.hash} />)</span>
      </h2>
      {items.error !== null && <FailureNotice error={items.error} retry={items.reload} testId="items-failure" />}
      <ul className="item-grid" data-testid="items-grid">
        {items.nodes.map((item) => (
          <li key={item.path} data-testid="item-card" data-path={item.path}>
            <button type="button" className="item-card" onClick={() => onOpen(item.path, commit.id)} title={item.path}>
              <Thumbnail project={project} blob={item.blob} path={item.path} />
              <span className="item-path">{item.path}</span>
              <span className="muted">{item.annotations === null ? 'not labeled' : `${item.annotations.length} annotation${item.annotations.length === 1 ? '' : 's'}`}</span>
            </button>
          </li>
        ))}
      </ul>
      {items.loading && <p className="status">Loading items…</p>}
      {!items.loading && items.nodes.length === 0 && items.error === null && <p className="status">This snapshot is empty.</p>}
      {items.hasMore && !items.loading && (
        <button type="button" onClick={items.more}>
          More items
        </button>
      )}
    </section>
  );
}
