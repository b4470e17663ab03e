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
  users: UsersTable;
  memberships: MembershipsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  project_blobs: ProjectBlobsTable;
  project_commits: ProjectCommitsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
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

export interface UsersTable {
  id: string;
  name: string;
  /** Argon2id PHC string; null when the user has no password (API tokens only). */
  password_hash: string | null;
  is_admin: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface MembershipsTable {
  project_id: string;
  user_id: string;
  role: string;
  /** Labelers only: "dataset@branch" of each branch they may read and label. */
  branches: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** sha256 hex of the token's secret part. */
  secret_hash: string;
  scopes: string[];
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface SessionsTable {
  id: string;
  /** sha256 hex of the cookie's secret. */
  secret_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Date;
}

export interface ProjectBlobsTable {
  project_id: string;
  hash: string;
}

export interface ProjectCommitsTable {
  project_id: string;
  commit_id: string;
  snapshot: string;
}

export interface AuditLogTable {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_name: string;
  credential: string;
  action: string;
  project: string | null;
  target: string | null;
  /** Canonical JSON. */
  inputs: string;
  outcome: 'ok' | 'denied' | 'failed';
  error_code: string | null;
  /** Canonical JSON, or null. */
  result: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
