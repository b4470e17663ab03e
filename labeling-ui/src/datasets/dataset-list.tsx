import { hrefOf } from '../routing.ts';
import { listDatasets } from './dataset-api.ts';
import { FailureNotice } from './failure-notice.tsx';
import { usePages } from './use-pages.ts';

/** The datasets of a project, each linking to its browser. */
export function DatasetList({ project }: { project: string }) {
  const list = usePages((after) => listDatasets(project, after), [project]);
  return (
    <main className="dataset-browser" data-testid="dataset-list">
      <h1>Datasets of {project}</h1>
      {list.error !== null && <FailureNotice error={list.error} retry={list.reload} testId="datasets-failure" />}
      {list.nodes.length === 0 && !list.loading && list.error === null && <p className="status">This project has no datasets yet.</p>}
      <ul className="plain-list">
        {list.nodes.map((d) => (
          <li key={d.name}>
            <a data-testid={`dataset-link-${d.name}`} href={hrefOf({ page: 'datasets', project, dataset: d.name })}>
              {d.name}
            </a>{' '}
            <span className="muted">
              created {new Date(d.createdAt).toLocaleString()}
              {d.origin ? ` · cloned from snapshot ${d.origin.snapshot.hash.slice(0, 12)}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {list.loading && <p className="status">Loading…</p>}
      {list.hasMore && !list.loading && (
        <button type="button" onClick={list.more}>
          More datasets
        </button>
      )}
    </main>
  );
}
