import type { ColumnType, Generated } from 'kysely';

/**
 * The labeling tables (migrations/0007_labeling.ts) as kysely sees them. The labeling store
 * reaches them with `db.withTables<LabelingTables>()`, so the tables travel with the code that
 * uses them.
 */
export type LabelingTables = {
  labeling_projects: LabelingProjectsTable;
  labeling_members: LabelingMembersTable;
  labeling_tasks: LabelingTasksTable;
  labeling_leases: LabelingLeasesTable;
  labeling_skips: LabelingSkipsTable;
  labeling_submissions: LabelingSubmissionsTable;
  labeling_events: LabelingEventsTable;
};

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface LabelingProjectsTable {
  id: string;
  project_id: string;
  name: string;
  dataset_id: string;
  branch: string;
  /** Canonical JSON of the LabelSchema. */
  schema: string;
  instructions: string;
  overlap: number;
  overlap_fraction: number;
  queue_order: string;
  auto_commit_every: number | null;
  review_threshold: number;
  synced_commit: string | null;
  open_tasks: ColumnType<number, number | undefined, number>;
  review_tasks: ColumnType<number, number | undefined, number>;
  done_tasks: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: CreatedAt;
}

export interface LabelingMembersTable {
  labeling_project_id: string;
  user_id: string;
  role: string;
  created_at: CreatedAt;
}

export interface LabelingTasksTable {
  labeling_project_id: string;
  path: string;
  sort_key: string;
  needed: number;
  status: ColumnType<string, string | undefined, string>;
  submitted: ColumnType<number, number | undefined, number>;
  agreement: number | null;
  agreement_kind: string | null;
  review_reason: string | null;
  uncommitted: ColumnType<boolean, boolean | undefined, boolean>;
  staged_version: ColumnType<number, number | undefined, number>;
}

export interface LabelingLeasesTable {
  labeling_project_id: string;
  path: string;
  user_id: string;
  expires_at: Date;
}

export interface LabelingSkipsTable {
  labeling_project_id: string;
  path: string;
  user_id: string;
  reason: string;
  created_at: Date;
}

export interface LabelingSubmissionsTable {
  labeling_project_id: string;
  path: string;
  user_id: string;
  user_name: string;
  /** Canonical JSON of the Annotation[]. */
  annotations: string;
  class_set: string;
  event_seq: number;
  created_at: Date;
}

export interface LabelingEventsTable {
  seq: Generated<number>;
  labeling_project_id: string | null;
  dataset_id: string;
  path: string;
  user_id: string | null;
  user_name: string;
  action: string;
  /** Canonical JSON, or null. */
  annotations: string | null;
  comment: string | null;
  time: Date;
  commit: string | null;
  snapshot: string | null;
  submission_id: string | null;
  /** Canonical JSON, or null. */
  result: string | null;
  staged: ColumnType<boolean, boolean | undefined, boolean>;
  review_outcome: string | null;
}
