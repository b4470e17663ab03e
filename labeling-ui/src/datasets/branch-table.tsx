import { useState } from 'react';
import type { BranchInfo } from './dataset-api.ts';
import { ShortHash, Time } from './short-hash.tsx';

/**
 * The dataset's branches with their head commit and its snapshot hash — the full hash of the
 * newest snapshot of each branch is in `branch-snapshot-<branch>`, with a copy button, since
 * that hash is what training and export consume.
 */
export function BranchTable({ branches, selected, onSelect }: { branches: readonly BranchInfo[]; selected: string | null; onSelect: (branch: string) => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (hash: string): void => {
    navigator.clipboard?.writeText(hash).then(
      () => setCopied(hash),
      () => setCopied(null),
    );
  };
  return (
    <table className="branch-table" data-testid="branch-table">
      <caption>Branches</caption>
      <thead>
        <tr>
          <th scope="col">Branch</th>
          <th scope="col">Snapshot of the head commit</th>
          <th scope="col">Items</th>
          <th scope="col">Head commit</th>
          <th scope="col">Last change</th>
        </tr>
      </thead>
      <tbody>
        {branches.map((b) => (
          <tr key={b.name} data-testid={`branch-row-${b.name}`} aria-selected={b.name === selected} className={b.name === selected ? 'selected' : undefined}>
            <th scope="row">
              <button type="button" className="link" data-testid={`branch-select-${b.name}`} onClick={() => onSelect(b.name)}>
                {b.name}
              </button>
            </th>
            <td>
              <code className="hash full" data-testid={`branch-snapshot-${b.name}`}>
                {b.head.snapshot.hash}
              </code>{' '}
              <button type="button" className="secondary small" aria-label={`Copy the snapshot hash of ${b.name}`} onClick={() => copy(b.head.snapshot.hash)}>
                {copied === b.head.snapshot.hash ? 'Copied' : 'Copy'}
              </button>
            </td>
            <td>{b.head.snapshot.itemCount}</td>
            <td>
              <ShortHash value={b.head.id} testId={`branch-commit-${b.name}`} />
            </td>
            <td>
              {b.head.author}: {b.head.message} · <Time iso={b.head.time} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
