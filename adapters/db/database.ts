import type { ColumnType, Generated } from 'kysely';

/**
 * The row types of Sheaf's tables as kysely sees them (see migrations/ for the DDL). Ids are
 * UUID strings made in JS, hashes are 64-hex text, int8 columns arrive as JS numbers (both
 * drivers are configured so in open-database.ts) and JSON columns hold canonical JSON text.
 */
export interface Database {
  projects: ProjectsTable;
  datasets: DatasetsTable;
  tree_nodes: TreeNodesTable;
  commits: CommitsTable;
  blobs: BlobsTable;
  branches: BranchesTable;
  tags: TagsTable;
  staging: StagingTable;
}

/** A timestamp the database fills in on insert (`default now()`) and nobody updates. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface ProjectsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface DatasetsTable {
  id: string;
  project_id: string;
  name: string;
  created_at: CreatedAt;
  origin_snapshot: string | null;
  origin_commit: string | null;
}

export interface TreeNodesTable {
  hash: string;
  /** The node's canonical JSON (its bytes are what the hash covers). */
  data: string;
}

export interface CommitsTable {
  id: string;
  snapshot: string;
  parents: string[];
  author: string;
  message: string;
  time: Date;
  /** Canonical JSON of the commit's meta object. */
  meta: string;
  generation: number;
}

export interface BlobsTable {
  hash: string;
  size: number;
  media_type: string | null;
  created_at: CreatedAt;
}

export interface BranchesTable {
  id: string;
  dataset_id: string;
  name: string;
  head: string;
  staging_generation: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
}

export interface TagsTable {
  dataset_id: string;
  name: string;
  commit: string;
  created_at: CreatedAt;
}

export interface StagingTable {
  branch_id: string;
  /** The branch's `staging_generation` when the row was written; older ones are cleared. */
  generation: number;
  /** `COLLATE "C"`, so SQL order is code point order, the order of `comparePaths`. */
  path: string;
  /** From the `staging_seq` sequence; a fresh value on every write. */
  seq: Generated<number>;
  deleted: boolean;
  blob: string | null;
  size: number | null;
  /** Canonical JSON; null for deletions. */
  meta: string | null;
  /** Canonical JSON; null for deletions (a JSON `null` annotation is the text 'null'). */
  annotations: string | null;
}
