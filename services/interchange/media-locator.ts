import { NotFoundError } from '../../core/errors.ts';
import type { Item } from '../../core/model.ts';
import type { Actor } from '../actor.ts';
import type { BlobService } from '../blob-service.ts';
import type { DatasetService } from '../dataset-service.ts';
import type { MediaSource } from './tar-format-sink.ts';

export interface MediaLocatorDeps {
  readonly actor: Actor;
  readonly project: string;
  readonly snapshot: string;
  readonly datasets: DatasetService;
  readonly blobs: BlobService;
}

// Items whose blobs are checked together (one grants query), and how many such windows are kept.
const WINDOW = 1000;
const WINDOWS_KEPT = 2;

/**
 * Finds the media of a snapshot's items for an export, by item path. Writers copy an item's
 * media while they hold the item, so the items passing through `register` are remembered, a
 * window at a time with their blobs' readers opened together (BlobService.readerOf: one
 * question per window, not one per item); the last two windows are kept, so memory stays
 * bounded. A path outside them is looked up in the snapshot.
 */
export class MediaLocator {
  private readonly recent = new Map<string, MediaSource>();

  constructor(private readonly deps: MediaLocatorDeps) {}

  /** Passes `items` on, a window at a time, remembering their media. */
  async *register(items: AsyncIterable<Item>): AsyncGenerator<Item> {
    let window: Item[] = [];
    for await (const item of items) {
      window.push(item);
      if (window.length < WINDOW) continue;
      yield* await this.remember(window);
      window = [];
    }
    if (window.length > 0) yield* await this.remember(window);
  }

  /** The media of the item at `path`. @throws NotFoundError('item'), ForbiddenError */
  async media(path: string): Promise<MediaSource> {
    const known = this.recent.get(path);
    if (known) return known;
    const { actor, project, snapshot } = this.deps;
    // The shortest path with this prefix is the path itself, when it is there.
    const [item] = await this.deps.datasets.listSnapshotItems(actor, project, snapshot, { prefix: path, limit: 1 });
    if (item?.path !== path) throw new NotFoundError('item', `${snapshot}:${path}`);
    return { size: item.size, open: () => this.deps.blobs.open(actor, project, item.blob) };
  }

  private async remember(window: readonly Item[]): Promise<readonly Item[]> {
    const hashes = [...new Set(window.map((item) => item.blob))];
    const open = await this.deps.blobs.readerOf(this.deps.actor, this.deps.project, hashes);
    for (const item of window) this.recent.set(item.path, { size: item.size, open: () => open(item.blob) });
    // Maps iterate in insertion order: the oldest entries go first.
    for (const path of this.recent.keys()) {
      if (this.recent.size <= WINDOW * WINDOWS_KEPT) break;
      this.recent.delete(path);
    }
    return window;
  }
}
