import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { parseSnapshotHash, type BlobHash, type SnapshotHash } from '../../core/ids.ts';
import { parseItemPath } from '../../core/item-path.ts';
import type { Item } from '../../core/model.ts';
import type { Versioning } from '../../core/versioning/versioning.ts';
import type { AccessControl } from '../access/access-control.ts';
import type { ProjectGrants } from '../access/project-grants.ts';
import type { Actor } from '../actor.ts';
import { SYNC_READ_MAX_BYTES, type BlobService } from '../blob-service.ts';
import type { LineageService } from '../lineage/lineage-service.ts';
import { bytesEntry, type ProvisionedEntry } from './provisioned-entry.ts';
import { inSelectedShard, parseSelection, type Selection, type SelectionInput } from './selection.ts';
import { snapshotItems } from './snapshot-items.ts';
import { parseClasses, sampleEntries, type SampleEntry } from './webdataset-layout.ts';
import { groupSamples } from './webdataset-samples.ts';

/** How a whole (or selected) snapshot is read, and which part. */
export interface SnapshotReadRequest extends SelectionInput {
  /** `tar`: one entry per item; `webdataset`: samples (webdataset-layout.ts); `manifest`, `export`: items only. */
  readonly via: 'tar' | 'webdataset' | 'manifest' | 'export';
  /** WebDataset only: class names numbered for `.cls`, comma-separated. */
  readonly classes?: string | undefined;
  /** Whether to record the read (default true); false for checks that send no data (HEAD). */
  readonly record?: boolean | undefined;
  /**
   * Also tell where each blob's file is, when the server exposes blob paths (BlobPaths); needs
   * `blob.read` too.
   */
  readonly paths?: boolean | undefined;
  /**
   * Re-hash each blob as it is read (default false): stored blobs were verified when written and
   * are never rewritten, so this guards only against the disk changing them since.
   */
  readonly verify?: boolean | undefined;
}

/** A snapshot opened for reading: checked, and its read recorded. */
export interface SnapshotRead {
  readonly snapshot: SnapshotHash;
  /** The selected items in path order (filter per item, shard by path). */
  items(): AsyncGenerator<Item>;
  /** The files of the request's layout, in order, with their blobs ready to open. */
  entries(): AsyncGenerator<ProvisionedEntry>;
  /** Where a blob's file is: when `paths` was asked and the server exposes them; null otherwise. */
  readonly locate: ((hash: BlobHash) => string) | null;
}

export interface ProvisionServiceDeps {
  readonly engine: Versioning;
  readonly access: AccessControl;
  readonly grants: ProjectGrants;
  readonly blobs: BlobService;
  readonly lineage: LineageService;
  /** Where a blob's file is on this machine; null unless SHEAF_EXPOSE_BLOB_PATHS (see BlobPaths). */
  readonly locate?: ((hash: BlobHash) => string) | null | undefined;
}

// Entries whose blobs are checked together (one query for the project's grants).
const OPEN_WINDOW = 1000;

/**
 * Provisioning: training machines consume a snapshot by hash — as an archive, a manifest, or
 * file by file. Reading needs `project.read` and a snapshot the project holds (another
 * project's hash is not found). Each read is recorded as a lineage `read` edge before its first
 * byte (LineageService), so a run can name exactly what it was given.
 */
export class ProvisionService {
  constructor(private readonly deps: ProvisionServiceDeps) {}

  /**
   * Opens a snapshot for a streamed read. Everything is checked before it returns, so a caller
   * can answer errors before sending a byte; the items are read as the caller pulls them.
   * @throws InvalidHashError, InvalidInputError (selection, classes), ForbiddenError, NotFoundError('snapshot')
   */
  async read(actor: Actor | null, project: string, hash: string, request: SnapshotReadRequest): Promise<SnapshotRead> {
    const snapshot = parseSnapshotHash(hash);
    const who = await this.deps.access.require(actor, { project, permission: 'project.read', action: 'snapshot.read' });
    if (request.paths) await this.deps.access.require(who, { project, permission: 'blob.read', action: 'blob.paths' });
    const selection = parseSelection(request);
    if (request.classes !== undefined && request.via !== 'webdataset') throw new InvalidInputError('classes', 'applies to the WebDataset layout only');
    const classes = request.classes === undefined ? undefined : parseClasses(request.classes);
    if (!(await this.deps.grants.hasSnapshot(project, snapshot))) throw new NotFoundError('snapshot', snapshot);
    const { via, prefix, filter, shard } = request;
    if (request.record !== false) await this.deps.lineage.recordRead(who, project, snapshot, { via, prefix, filter, shard, classes: request.classes });

    const all = () => snapshotItems(this.deps.engine, snapshot, selection.prefix);
    const items = () => selectedItems(all(), selection);
    const layout = () => (via === 'webdataset' ? webdataset(all(), selection, classes) : plain(items()));
    // Items of a snapshot the project holds name only blobs it holds (staging checks them), so
    // their paths need no further check.
    const locate = request.paths ? (this.deps.locate ?? null) : null;
    const verify = request.verify === true;
    return { snapshot, items, entries: () => this.withBlobs(who, project, layout(), verify), locate };
  }

  /**
   * The item at `path` in a snapshot of the project, for reading in place. With `record`, the
   * read is recorded (at most one edge per actor and snapshot a minute, see LineageService).
   * @throws InvalidHashError, InvalidPathError, ForbiddenError, NotFoundError('snapshot' | 'item')
   */
  async file(actor: Actor | null, project: string, hash: string, path: string, options: { record: boolean }): Promise<Item> {
    const snapshot = parseSnapshotHash(hash);
    const itemPath = parseItemPath(path);
    const who = await this.deps.access.require(actor, { project, permission: 'project.read', action: 'snapshot.read' });
    if (!(await this.deps.grants.hasSnapshot(project, snapshot))) throw new NotFoundError('snapshot', snapshot);
    // The shortest path with this prefix is the path itself, when it is there.
    const [item] = await this.deps.engine.listSnapshot(snapshot, { prefix: itemPath, limit: 1 });
    if (item?.path !== itemPath) throw new NotFoundError('item', `${snapshot}:${itemPath}`);
    if (options.record) await this.deps.lineage.recordRead(who, project, snapshot, { via: 'file' });
    return item;
  }

  /** The entries with readers of their blobs, whose grants are checked a window at a time. */
  private async *withBlobs(actor: Actor, project: string, layout: AsyncIterable<SampleEntry>, verify: boolean): AsyncGenerator<ProvisionedEntry> {
    let window: SampleEntry[] = [];
    for await (const entry of layout) {
      window.push(entry);
      if (window.length < OPEN_WINDOW) continue;
      yield* await this.opened(actor, project, window, verify);
      window = [];
    }
    if (window.length > 0) yield* await this.opened(actor, project, window, verify);
  }

  private async opened(actor: Actor, project: string, window: readonly SampleEntry[], verify: boolean): Promise<ProvisionedEntry[]> {
    const hashes = [...new Set(window.flatMap((entry) => (entry.kind === 'item' ? [entry.item.blob] : [])))];
    const { open, readSmall } = await this.deps.blobs.provisionReaderOf(actor, project, hashes, { verify });
    return window.map((entry) => {
      if (entry.kind !== 'item') return bytesEntry(entry.name, entry.bytes);
      const { path, size, blob } = entry.item;
      // Small blobs are read directly by the packer (see BlobService.provisionReaderOf).
      if (readSmall && size <= SYNC_READ_MAX_BYTES) return { name: path, size, open: () => open(blob), readSync: () => readSmall(blob, size) };
      return { name: path, size, open: () => open(blob) };
    });
  }
}

async function* selectedItems(items: AsyncIterable<Item>, selection: Selection): AsyncGenerator<Item> {
  const { matches } = selection;
  for await (const item of items) if (inSelectedShard(selection, item.path) && (!matches || matches(item))) yield item;
}

async function* plain(items: AsyncIterable<Item>): AsyncGenerator<SampleEntry> {
  for await (const item of items) yield { kind: 'item', item };
}

async function* webdataset(items: AsyncIterable<Item>, selection: Selection, classes: ReadonlyMap<string, number> | undefined): AsyncGenerator<SampleEntry> {
  for await (const sample of groupSamples(items)) yield* sampleEntries(sample, selection, classes);
}
