import { parseBranchName, parseDatasetName, parseProjectName, type CommitId } from '../../core/ids.ts';
import type { Item } from '../../core/model.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import type { LabelingProjectRecord, NewTask } from './labeling-store.ts';
import { labelersNeeded } from './overlap.ts';
import { parseQueueOrder } from './queue-order.ts';

// Items read per page from the engine, and tasks written per round.
const PAGE = 1000;
const BATCH = 5000;

/** The dataset a labeling project labels, as the engine names it. */
export function datasetRefOf(lp: LabelingProjectRecord) {
  return { project: parseProjectName(lp.project), dataset: parseDatasetName(lp.dataset) };
}

/**
 * Brings a labeling project's tasks up to its branch head: one task per committed item. The
 * first sync lists every item (batched inserts); later ones diff the last synced head against
 * the new one, so their cost follows what changed: added items become tasks, removed items
 * lose theirs (with leases, submissions and skips), changed items get a new queue key. When
 * the head has not moved this is one lookup. Concurrent syncs are harmless: inserts skip
 * existing tasks and the synced head moves by compare-and-swap.
 * @throws NotFoundError('dataset' | 'branch') when the branch is gone
 */
export async function syncTasks(deps: Pick<LabelingDeps, 'engine' | 'store' | 'queueOrders'>, lp: LabelingProjectRecord): Promise<void> {
  const ref = datasetRefOf(lp);
  const branch = await deps.engine.getBranch(ref, parseBranchName(lp.branch));
  if (branch.head === lp.syncedCommit) return;
  const order = parseQueueOrder(lp.queueOrder, deps.queueOrders);
  const taskOf = (item: Item): NewTask => ({ path: item.path, sortKey: order.keyOf(item, lp.id), needed: labelersNeeded(item.path, lp.overlap, lp.overlapFraction) });

  if (lp.syncedCommit === null) {
    let batch: NewTask[] = [];
    for await (const item of itemsAt(deps, lp, branch.head)) {
      batch.push(taskOf(item));
      if (batch.length < BATCH) continue;
      await deps.store.insertTasks(lp.id, batch);
      batch = [];
    }
    await deps.store.insertTasks(lp.id, batch);
  } else {
    const [from, to] = [await deps.engine.getCommit(lp.syncedCommit as CommitId), await deps.engine.getCommit(branch.head)];
    let after: string | undefined;
    for (;;) {
      const changes = await deps.engine.diff(from.snapshot, to.snapshot, { after, limit: PAGE });
      if (changes.length === 0) break;
      const added = changes.flatMap((c) => (c.before === null && c.after ? [taskOf(c.after)] : []));
      const removed = changes.flatMap((c) => (c.after === null ? [c.path] : []));
      const changed = changes.flatMap((c) => (c.before && c.after ? [{ path: c.path, sortKey: order.keyOf(c.after, lp.id) }] : []));
      await deps.store.insertTasks(lp.id, added);
      await deps.store.removeTasks(lp.id, removed);
      await deps.store.setSortKeys(lp.id, changed);
      after = changes[changes.length - 1]!.path;
      if (changes.length < PAGE) break;
    }
  }
  await deps.store.markSynced(lp.id, lp.syncedCommit, branch.head);
}

/** Recomputes every task's queue key (after the project's order changed), from the synced head. */
export async function rekeyTasks(deps: Pick<LabelingDeps, 'engine' | 'store' | 'queueOrders'>, lp: LabelingProjectRecord): Promise<void> {
  if (lp.syncedCommit === null) return;
  const order = parseQueueOrder(lp.queueOrder, deps.queueOrders);
  let batch: { path: string; sortKey: string }[] = [];
  for await (const item of itemsAt(deps, lp, lp.syncedCommit as CommitId)) {
    batch.push({ path: item.path, sortKey: order.keyOf(item, lp.id) });
    if (batch.length < BATCH) continue;
    await deps.store.setSortKeys(lp.id, batch);
    batch = [];
  }
  await deps.store.setSortKeys(lp.id, batch);
}

async function* itemsAt(deps: Pick<LabelingDeps, 'engine'>, lp: LabelingProjectRecord, commit: CommitId): AsyncGenerator<Item> {
  let after: string | undefined;
  for (;;) {
    const page = await deps.engine.listItems(datasetRefOf(lp), commit, { after, limit: PAGE });
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.path;
  }
}
