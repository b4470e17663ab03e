import type { BlobHash, BranchName, CommitId, DatasetName, NodeHash, ProjectName, TagName } from './ids.ts';
import type { ItemPath } from './item-path.ts';
import type { Branch, Commit, Dataset, Item, PageRequest, Project, StagedChange, Tag } from './model.ts';

/**
 * The ports of the core. Adapters implement them (adapters/blob, adapters/db); the core and the
 * services only see these interfaces. Every port has one conformance suite in tests/conformance
 * that each adapter must pass.
 */

export type BlobSource = Uint8Array | AsyncIterable<Uint8Array>;

export interface BlobPutOptions {
  /** When given, the content must hash to this value or nothing is stored. */
  readonly expectedHash?: BlobHash | undefined;
  /** When given, a source longer than this fails and nothing is stored. */
  readonly maxBytes?: number | undefined;
}

export interface BlobReadOptions {
  /** First byte to read (inclusive). Default 0. */
  readonly start?: number | undefined;
  /** Byte to stop before (exclusive). Default: the blob's size. */
  readonly end?: number | undefined;
  /** Re-hash a whole-blob read and fail at the end of the stream if the bytes changed. */
  readonly verify?: boolean | undefined;
}

/** Content-addressed bytes. */
export interface BlobStore {
  /**
   * Streams `source` in while hashing it and stores it under its sha256. Idempotent: storing
   * the same bytes again returns `created: false`. Safe under concurrent writers of one blob.
   * @throws BlobHashMismatchError, BlobTooLargeError — nothing is stored in either case.
   */
  put(source: BlobSource, options?: BlobPutOptions): Promise<{ hash: BlobHash; size: number; created: boolean }>;
  /** Size of a stored blob, or null when absent. */
  stat(hash: BlobHash): Promise<{ size: number } | null>;
  /**
   * Opens a stored blob for reading.
   * @throws NotFoundError('blob') before any byte is produced; InvalidInputError for a bad
   * range; the stream fails with CorruptObjectError when `verify` finds changed bytes.
   */
  get(hash: BlobHash, options?: BlobReadOptions): Promise<AsyncIterable<Uint8Array>>;
  /** Removes a blob; returns whether it existed. */
  delete(hash: BlobHash): Promise<boolean>;
}

/**
 * Content-addressed prolly-tree nodes. Their bytes are canonical JSON (core/prolly/node-codec.ts),
 * always valid UTF-8, so adapters may store them as text.
 */
export interface NodeStore {
  /** Returns the bytes of the nodes that exist; missing hashes are simply absent. */
  getMany(hashes: readonly NodeHash[]): Promise<Map<NodeHash, Uint8Array>>;
  /** Stores nodes; storing an existing hash again is a no-op. */
  putMany(nodes: readonly { hash: NodeHash; bytes: Uint8Array }[]): Promise<void>;
}

export interface CommitStore {
  /** Stores a commit; storing an existing id again is a no-op. */
  put(commit: Commit): Promise<void>;
  getMany(ids: readonly CommitId[]): Promise<Map<CommitId, Commit>>;
}

/** What the server knows of each stored blob (so staging can check existence and size in bulk). */
export interface BlobCatalog {
  record(blobs: readonly { hash: BlobHash; size: number; mediaType?: string | null }[]): Promise<void>;
  sizes(hashes: readonly BlobHash[]): Promise<Map<BlobHash, number>>;
}

/** Projects, datasets and the names inside them (branches, tags). */
export interface RefStore {
  /** @throws AlreadyExistsError('project') */
  createProject(name: ProjectName): Promise<Project>;
  getProject(name: ProjectName): Promise<Project | null>;
  listProjects(page: PageRequest): Promise<Project[]>;

  /** @throws AlreadyExistsError('dataset') when the project already has that name. */
  createDataset(input: { projectId: string; name: DatasetName; origin: Dataset['origin'] }): Promise<Dataset>;
  getDataset(projectId: string, name: DatasetName): Promise<Dataset | null>;
  getDatasetById(id: string): Promise<Dataset | null>;
  listDatasets(projectId: string, page: PageRequest): Promise<Dataset[]>;

  /** @throws AlreadyExistsError('branch') */
  createBranch(input: { datasetId: string; name: BranchName; head: CommitId }): Promise<Branch>;
  getBranch(datasetId: string, name: BranchName): Promise<Branch | null>;
  listBranches(datasetId: string, page: PageRequest): Promise<Branch[]>;
  /** Deletes the branch and its staged changes. */
  deleteBranch(branchId: string): Promise<void>;
  /** Compare-and-swap: moves the head only if it still is `expected`; returns whether it moved. */
  moveBranch(branchId: string, expected: CommitId, next: CommitId): Promise<boolean>;

  /** @throws AlreadyExistsError('tag') */
  createTag(input: { datasetId: string; name: TagName; commit: CommitId }): Promise<Tag>;
  getTag(datasetId: string, name: TagName): Promise<Tag | null>;
  listTags(datasetId: string, page: PageRequest): Promise<Tag[]>;
}

/** Uncommitted changes per branch, keyed by path. */
export interface StagingStore {
  /** Upserts changes (null item = deletion); each write gets a new, larger seq. */
  put(branchId: string, changes: readonly { path: ItemPath; item: Item | null }[]): Promise<void>;
  get(branchId: string, paths: readonly ItemPath[]): Promise<Map<ItemPath, StagedChange>>;
  /** Changes in path order (code point order), optionally under a prefix and up to a seq. */
  list(
    branchId: string,
    options: PageRequest & { prefix?: string | undefined; maxSeq?: number | undefined },
  ): Promise<StagedChange[]>;
  /** Largest seq staged on the branch, 0 when nothing is staged. */
  maxSeq(branchId: string): Promise<number>;
  count(branchId: string): Promise<number>;
  /** Drops the given paths from staging; returns how many were staged. */
  remove(branchId: string, paths: readonly ItemPath[]): Promise<number>;
  /** Drops every change with seq <= `upToSeq` (the ones a commit folded in). */
  clear(branchId: string, upToSeq: number): Promise<number>;
}

/** Everything the versioning engine persists, with one transaction boundary around it. */
export interface VersionStore {
  readonly nodes: NodeStore;
  readonly commits: CommitStore;
  readonly blobs: BlobCatalog;
  readonly refs: RefStore;
  readonly staging: StagingStore;
  /** Runs `work` atomically: all of its writes land, or none. */
  transaction<T>(work: (tx: VersionStore) => Promise<T>): Promise<T>;
}

export interface Clock {
  now(): Date;
}
