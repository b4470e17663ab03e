import type { ColumnType, Generated } from 'kysely';

/**
 * The `jobs` table (migrations/0005_jobs.ts) as kysely sees it. Job stores reach it with
 * `db.withTables<JobTables>()`, so the table travels with the code that uses it.
 */
export type JobTables = {
  jobs: JobsTable;
};

export interface JobsTable {
  id: string;
  seq: Generated<number>;
  project_id: string;
  kind: string;
  /** Canonical JSON. */
  input: string;
  state: string;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  timeout_seconds: number;
  cancel_requested_at: Date | null;
  created_by_id: string | null;
  created_by: string;
  /** "token:<id>", "session:<id>" or "system:<what>". */
  credential: string;
  scopes: string[];
  progress_done: number | null;
  progress_total: number | null;
  progress_rate: number | null;
  progress_eta_seconds: number | null;
  progress_at: Date | null;
  /** Canonical JSON, or null. */
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  /** Canonical JSON, or null. */
  error_detail: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
