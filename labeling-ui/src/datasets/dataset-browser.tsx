import { useState } from 'react';
import { hrefOf } from '../routing.ts';
import { useAsync } from '../use-async.ts';
import { BranchTable } from './branch-table.tsx';
import { CommitDiff } from './commit-diff.tsx';
import { CommitItems } from './commit-items.tsx';
import { CommitLog } from './commit-log.tsx';
import type { BranchInfo, CommitInfo } from './dataset-api.ts';
import { DatasetList } from './dataset-list.tsx';
import { FailureNotice } from './failure-notice.tsx';
import { ItemPanel } from './item-panel.tsx';
import { loadBranches } from './load-branches.ts';
import './datasets.css';

/**
 * Browses a project's versioned data. Without `dataset`: the project's datasets. With one: its
 * branches (head commit and snapshot hash), the commit log of a branch, the items of a commit
 * as thumbnails, the changes between two commits, and any item with its labeling history.
 */
export function DatasetBrowser({ project, dataset }: { project: string; dataset?: string }) {
  if (dataset === undefined) return <DatasetList project={project} />;
  return <DatasetView key={`${project}/${dataset}`} project={project} dataset={dataset} />;
}

type Main = { readonly kind: 'items'; readonly commit: CommitInfo } | { readonly kind: 'diff'; readonly from: string; readonly to: string };

function DatasetView({ project, dataset }: { project: string; dataset: string }) {
  const [branches, reload] = useAsync(
    () => loadBranches(project, dataset).then((value) => ({ value, error: null }), (error: unknown) => ({ value: null as BranchInfo[] | null, error })),
    [project, dataset],
  );
  const [chosenBranch, setChosenBranch] = useState<string | null>(null);
  const [main, setMain] = useState<Main | null>(null);
  const [open, setOpen] = useState<{ path: string; at: string } | null>(null);

  if (branches.status === 'loading') return <p className="status" role="status">Loading {dataset}…</p>;
  if (branches.status === 'error') return <FailureNotice error={new Error(branches.message)} retry={reload} testId="dataset-failure" />;
  if (branches.value.error !== null || !branches.value.value)
    return (
      <main className="dataset-browser" data-testid="dataset-browser">
        <h1>{dataset}</h1>
        <FailureNotice error={branches.value.error} retry={reload} testId="dataset-failure" />
      </main>
    );
  const list = branches.value.value;
  const branch = chosenBranch ?? (list.some((b) => b.name === 'main') ? 'main' : (list[0]?.name ?? null));

  return (
    <main className="dataset-browser" data-testid="dataset-browser">
      <header className="dataset-head">
        <h1>
          <a href={hrefOf({ page: 'datasets', project })}>{project}</a> / {dataset}
        </h1>
        <button type="button" className="secondary small" onClick={reload}>
          Refresh
        </button>
      </header>
      <BranchTable
        branches={list}
        selected={branch}
        onSelect={(name) => {
          setChosenBranch(name);
          setMain(null);
        }}
      />
      <div className="dataset-columns">
        {branch !== null && (
          <CommitLog
            key={branch}
            project={project}
            dataset={dataset}
            branch={branch}
            selected={main?.kind === 'items' ? main.commit.id : null}
            onItems={(commit) => setMain({ kind: 'items', commit })}
            onDiff={(from, to) => setMain({ kind: 'diff', from, to })}
          />
        )}
        <div className="dataset-main">
          {open && <ItemPanel key={`${open.path}@${open.at}`} project={project} dataset={dataset} path={open.path} at={open.at} onClose={() => setOpen(null)} />}
          {main?.kind === 'items' && <CommitItems project={project} dataset={dataset} commit={main.commit} onOpen={(path, at) => setOpen({ path, at })} />}
          {main?.kind === 'diff' && <CommitDiff project={project} from={main.from} to={main.to} onOpen={(path, at) => setOpen({ path, at })} />}
          {main === null && !open && <p className="status">Pick a commit to see its items, or compare two commits.</p>}
        </div>
      </div>
    </main>
  );
}
