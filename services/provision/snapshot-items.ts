import type { SnapshotHash } from '../../core/ids.ts';
import type { Item } from '../../core/model.ts';
import type { Versioning } from '../../core/versioning/versioning.ts';

/** Items per page read from the tree: the engine's largest. */
export const ITEM_PAGE = 1000;

/**
 * Every item of a snapshot under `prefix`, in path order, read a page at a time as the consumer
 * pulls: a snapshot of any size streams in the memory of one page. The caller has checked that
 * the project holds the snapshot.
 */
export async function* snapshotItems(engine: Versioning, snapshot: SnapshotHash, prefix: string | undefined): AsyncGenerator<Item> {
  for await (const page of snapshotPages(engine, snapshot, prefix)) yield* page;
}

/**
 * `snapshotItems` a page at a time, for a consumer that goes through many items per await:
 * each stage of asynchronous iteration costs about a microsecond per item.
 */
export async function* snapshotPages(engine: Versioning, snapshot: SnapshotHash, prefix: string | undefined): AsyncGenerator<readonly Item[]> {
  let after: string | undefined;
  for (;;) {
    const page = await engine.listSnapshot(snapshot, { prefix, after, limit: ITEM_PAGE });
    if (page.length > 0) yield page;
    if (page.length < ITEM_PAGE) return;
    after = page[page.length - 1]!.path;
  }
}
