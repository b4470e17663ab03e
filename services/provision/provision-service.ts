import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { parseSnapshotHash, type BlobHash, type SnapshotHash } from '../../core/ids.ts';
import { parseItemPath } from '../../core/item-path.ts';
import type { Item } from '../../core/model.ts';
import type { Versioning } from '../../core/versioning/versioning.ts';
import type { AccessControl } from '../access/access-control.ts';
import type { ProjectGrants } from '../access/project-grants.ts';
import type { Actor } from '../actor.ts';
import { SYNC_READ_MAX_BYTES, type BlobService, type ProvisionReader } from '../blob-service.ts';
import type { LineageService } from '../lineage/lineage-service.ts';
import { bytesEntry, type ProvisionedEntry } from './provisioned-entry.ts';
import { inSelectedShard, parseSelection, type Selection, type SelectionInput } from './selection.ts';
import { snapshotItems, snapshotPages } from './snapshot-items.ts';
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
  /**
   * The files of the request's layout, in order, with their blobs ready to read.
   * @throws InvalidInputError for a read other than `tar` or `webdataset`
   */
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
   * Tar and WebDataset reads also need `blob.read`.
   * @throws InvalidHashError, InvalidInputError (selection, classes), ForbiddenError, NotFoundError('snapshot')
   */
  async read(actor: Actor | null, project: string, hash: string, request: SnapshotReadRequest): Promise<SnapshotRead> {
    const snapshot = parseSnapshotHash(hash);
    const who = await this.deps.access.require(actor, { project, permission: 'project.read', action: 'snapshot.read' });
    if (request.paths) await this.deps.access.require(who, { project, permission: 'blob.read', action: 'blob.paths' });
    const selection = parseSelection(request);
    if (request.classes !== undefined && request.via !== 'webdataset') throw new InvalidInputError('classes', 'applies to the WebDataset layout only');
    const classes = request.classes === undefined ? undefined : parseClasses(request.classes);
    const { via, prefix, filter, shard } = request;
    // Items of a snapshot the project holds name only blobs it holds (see
    // BlobService.provisionReaderOf), so neither their paths nor their reads need a check per blob.
    const reader = via === 'tar' || via === 'webdataset' ? await this.deps.blobs.provisionReaderOf(who, project, snapshot, { verify: request.verify === true }) : null;
    if (!reader && !(await this.deps.grants.hasSnapshot(project, snapshot))) throw new NotFoundError('snapshot', snapshot);
    if (request.record !== false) await this.deps.lineage.recordRead(who, project, snapshot, { via, prefix, filter, shard, classes: request.classes });

    const all = () => snapshotItems(this.deps.engine, snapshot, selection.prefix);
    const items = () => selectedItems(all(), selection);
    const locate = request.paths ? (this.deps.locate ?? null) : null;
    const entries = () => {
      if (!reader) throw new InvalidInputError('via', 'only a tar or WebDataset read has entries');
      if (via === 'webdataset') return sampleEntriesWithBlobs(webdataset(all(), selection, classes), reader);
      return itemEntries(snapshotPages(this.deps.engine, snapshot, selection.prefix), selection, reader);
    };
    return { snapshot, items, entries, locate };
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
}

/**
 * The entries of the selected items, in one stage from pages of the tree: a tar of many small
 * files spends a measurable part of its time passing items from one generator to the next.
 */
async function* itemEntries(pages: AsyncIterable<readonly Item[]>, selection: Selection, reader: ProvisionReader): AsyncGenerator<ProvisionedEntry> {
  for await (const page of pages) for (const item of page) if (isSelected(selection, item)) yield blobEntry(item, reader);
}

/** The entries of a WebDataset layout, with readers of their blobs. */
async function* sampleEntriesWithBlobs(layout: AsyncIterable<SampleEntry>, reader: ProvisionReader): AsyncGenerator<ProvisionedEntry> {
  for await (const entry of layout) yield entry.kind === 'item' ? blobEntry(entry.item, reader) : bytesEntry(entry.name, entry.bytes);
}

function blobEntry({ path, size, blob }: Item, reader: ProvisionReader): ProvisionedEntry {
  // Small blobs are read by the packer straight into its outgoing chunk.
  if (reader.readSmallInto && size <= SYNC_READ_MAX_BYTES) return new SmallBlobEntry(path, size, blob, reader);
  return { name: path, size, open: () => reader.open(blob) };
}

/** A small blob the packer reads into its outgoing chunk: one object per entry, no closures. */
class SmallBlobEntry implements ProvisionedEntry {
  constructor(
    readonly name: string,
    readonly size: number,
    private readonly blob: BlobHash,
    private readonly reader: ProvisionReader,
  ) {}

  open(): Promise<AsyncIterable<Uint8Array>> {
    return this.reader.open(this.blob);
  }

  readInto(target: Uint8Array, offset: number): number {
    return this.reader.readSmallInto!(this.blob, this.size, target, offset);
  }
}

async function* selectedItems(items: AsyncIterable<Item>, selection: Selection): AsyncGenerator<Item> {
  for await (const item of items) if (isSelected(selection, item)) yield item;
}

function isSelected(selection: Selection, item: Item): boolean {
  return inSelectedShard(selection, item.path) && (!selection.matches || selection.matches(item));
}

async function* webdataset(items: AsyncIterable<Item>, selection: Selection, classes: ReadonlyMap<string, number> | undefined): AsyncGenerator<SampleEntry> {
  for await (const sample of groupSamples(items)) yield* sampleEntries(sample, selection, classes);
}
