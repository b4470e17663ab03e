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
  lineage_edges: LineageEdgesTable;
  streams: StreamsTable;
  stream_messages: StreamMessagesTable;
  stream_dead_letters: StreamDeadLettersTable;
  transform_runs: TransformRunsTable;
  transform_item_memo: TransformItemMemoTable;
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

export interface LineageEdgesTable {
  id: string;
  /** Identity column: the database numbers edges as they are recorded. */
  seq: Generated<number>;
  project_id: string;
  kind: string;
  source: string;
  target: string | null;
  actor_id: string | null;
  actor_name: string;
  credential: string;
  at: CreatedAt;
  /** Canonical JSON. */
  details: string;
}

export interface StreamsTable {
  id: string;
  project_id: string;
  name: string;
  /** Canonical JSON of the stream's configuration. */
  config: string;
  status: 'active' | 'paused' | 'error';
  error: string | null;
  client_id: string;
  /** Null once the creating user is deleted. */
  created_by: string | null;
  created_at: CreatedAt;
  next_seq: ColumnType<number, number | undefined, number>;
  messages: ColumnType<number, number | undefined, number>;
  staged: ColumnType<number, number | undefined, number>;
  dropped: ColumnType<number, number | undefined, number>;
  duplicates: ColumnType<number, number | undefined, number>;
  dead_letters: ColumnType<number, number | undefined, number>;
  last_commit: string | null;
  last_commit_at: Date | null;
}

export interface StreamMessagesTable {
  stream_id: string;
  /** sha256 of the message's topic, properties and payload. */
  key: string;
  state: 'pending' | 'staged' | 'dropped' | 'dead';
  path: string | null;
  received_at: Date;
  staged_at: Date | null;
  committed: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface StreamDeadLettersTable {
  stream_id: string;
  /** Identity column: dead letters in arrival order. */
  seq: Generated<number>;
  received_at: Date;
  topic: string;
  reason: string;
  payload_sha256: string;
  payload_size: number;
  head_hex: string;
}

export interface TransformRunsTable {
  project_id: string;
  transform: string;
  version: string;
  params_hash: string;
  /** Canonical JSON. */
  params: string;
  input_snapshot: string;
  output_snapshot: string;
  /** Canonical JSON list of `{ path, reason }`. */
  rejected: string;
  created_at: CreatedAt;
}

export interface TransformItemMemoTable {
  project_id: string;
  transform: string;
  version: string;
  params_hash: string;
  input_key: string;
  /** Canonical JSON: `{ outputs: [...] }` or `{ rejected: reason }`. */
  outcome: string;
}
