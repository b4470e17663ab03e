import type { JsonObject, JsonValue } from './canonical-json.ts';
import type {
  BlobHash,
  BranchName,
  CommitId,
  DatasetName,
  ProjectName,
  SnapshotHash,
  TagName,
} from './ids.ts';
import type { ItemPath } from './item-path.ts';

/** One member of a snapshot. Its annotations live inside it, so a snapshot's hash covers them. */
export interface Item {
  readonly path: ItemPath;
  readonly blob: BlobHash;
  /** Size of the blob in bytes. */
  readonly size: number;
  readonly meta: JsonObject;
  readonly annotations: JsonValue;
}

/** Immutable record of a snapshot plus its history. `id` is the hash of its canonical form. */
export interface Commit {
  readonly id: CommitId;
  readonly snapshot: SnapshotHash;
  readonly parents: readonly CommitId[];
  readonly author: string;
  readonly message: string;
  /** ISO 8601 with milliseconds, UTC ("2026-01-02T03:04:05.678Z"). */
  readonly time: string;
  readonly meta: JsonObject;
  /** 1 + the largest parent generation (1 for a root commit). Derived, not hashed. */
  readonly generation: number;
}

/** A tenant. Every dataset belongs to exactly one project. */
export interface Project {
  readonly id: string;
  readonly name: ProjectName;
  readonly createdAt: Date;
}

export interface Dataset {
  readonly id: string;
  readonly projectId: string;
  readonly name: DatasetName;
  readonly createdAt: Date;
  /** For clones: the snapshot (and commit, if any) the dataset started from. */
  readonly origin: { readonly snapshot: SnapshotHash; readonly commit: CommitId | null } | null;
}

/** Mutable name for a commit; moved only by compare-and-swap. */
export interface Branch {
  readonly id: string;
  readonly datasetId: string;
  readonly name: BranchName;
  readonly head: CommitId;
  readonly createdAt: Date;
}

/** Immutable name for a commit. */
export interface Tag {
  readonly datasetId: string;
  readonly name: TagName;
  readonly commit: CommitId;
  readonly createdAt: Date;
}

/** An uncommitted change on a branch: `item` null means the path is deleted. */
export interface StagedChange {
  readonly path: ItemPath;
  readonly item: Item | null;
  /** Increases on every write to the branch's staging; a commit folds changes up to one seq. */
  readonly seq: number;
}

/** Keyset pagination: results sort by their natural key and start strictly after `after`. */
export interface PageRequest {
  readonly after?: string | undefined;
  readonly limit: number;
}
