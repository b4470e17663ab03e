import { sql, type Kysely, type Selectable } from 'kysely';
import { canonicalJson, type JsonValue } from '../../core/canonical-json.ts';
import { AlreadyExistsError } from '../../core/errors.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import type { LabelSchema } from '../../core/labels/label-schema.ts';
import { LABELING_PROJECT } from '../../services/labeling/labeling-errors.ts';
import type {
  EventAction,
  EventRecord,
  LabelerFigures,
  LabelingMember,
  LabelingProjectChanges,
  LabelingProjectRecord,
  LabelingStore,
  LeasedTask,
  MemberRole,
  NewEvent,
  NewLabelingProject,
  NewTask,
  Progress,
  SubmissionRecord,
  TaskState,
  TaskStatus,
  UncommittedEdit,
} from '../../services/labeling/labeling-store.ts';
import { chunks } from './chunks.ts';
import type { Database } from './database.ts';
import type { LabelingProjectsTable, LabelingTables } from './labeling-tables.ts';
import { sqlErrorOf, UNIQUE_VIOLATION } from './sql-state.ts';

type Db = Kysely<Database & LabelingTables>;

// Rows per statement: well under PostgreSQL's 65,535 bind parameters (tasks take 4 each).
const ROWS = 5000;
// Lock-and-check rounds per transaction, and transactions per lease request.
const ROUNDS = 4;
const ATTEMPTS = 3;

type ProjectRow = Selectable<LabelingProjectsTable> & { project: string; dataset: string };

/** `LabelingStore` on the labeling_* tables (migrations/0007_labeling.ts), for PostgreSQL and PGlite alike. */
export class KyselyLabelingStore implements LabelingStore {
  private readonly db: Db;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<LabelingTables>();
  }

  transaction<T>(work: (tx: LabelingStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new KyselyLabelingStore(trx as unknown as Kysely<Database>)));
  }

  async createProject(input: NewLabelingProject): Promise<LabelingProjectRecord> {
    try {
      await this.db
        .insertInto('labeling_projects')
        .values({
          id: input.id,
          project_id: input.projectId,
          name: input.name,
          dataset_id: input.datasetId,
          branch: input.branch,
          schema: canonicalJson(input.schema),
          instructions: input.instructions,
          overlap: input.overlap,
          overlap_fraction: input.overlapFraction,
          queue_order: input.queueOrder,
          auto_commit_every: input.autoCommitEvery,
          review_threshold: input.reviewThreshold,
          created_by: input.createdBy,
        })
        .execute();
    } catch (error) {
      if (sqlErrorOf(error).code === UNIQUE_VIOLATION) throw new AlreadyExistsError(LABELING_PROJECT, input.name);
      throw error;
    }
    return (await this.byId(input.id))!;
  }

  async getProject(project: string, name: string): Promise<LabelingProjectRecord | null> {
    const row = await this.selectProjects().where('projects.name', '=', project).where('labeling_projects.name', '=', name).executeTakeFirst();
    return row ? projectOf(row) : null;
  }

  async listProjects(project: string): Promise<LabelingProjectRecord[]> {
    const rows = await this.selectProjects().where('projects.name', '=', project).orderBy('labeling_projects.name').execute();
    return rows.map(projectOf);
  }

  async updateProject(id: string, changes: LabelingProjectChanges): Promise<LabelingProjectRecord> {
    const set: Partial<Record<keyof LabelingProjectsTable, unknown>> = {};
    if (changes.schema !== undefined) set.schema = canonicalJson(changes.schema);
    if (changes.instructions !== undefined) set.instructions = changes.instructions;
    if (changes.queueOrder !== undefined) set.queue_order = changes.queueOrder;
    if (changes.autoCommitEvery !== undefined) set.auto_commit_every = changes.autoCommitEvery;
    if (changes.reviewThreshold !== undefined) set.review_threshold = changes.reviewThreshold;
    if (Object.keys(set).length > 0) await this.db.updateTable('labeling_projects').set(set as never).where('id', '=', id).execute();
    return (await this.byId(id))!;
  }

  async markSynced(id: string, from: string | null, to: string): Promise<boolean> {
    const result = await this.db
      .updateTable('labeling_projects')
      .set({ synced_commit: to })
      .where('id', '=', id)
      .where(sql<boolean>`synced_commit is not distinct from ${from}`)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async putMember(labelingProjectId: string, user: string, role: MemberRole): Promise<LabelingMember | null> {
    const rows = await sql<{ role: MemberRole }>`
      insert into labeling_members (labeling_project_id, user_id, role)
      select ${labelingProjectId}, u.id, ${role} from users u where u.name = ${user}
      on conflict (labeling_project_id, user_id) do update set role = excluded.role
      returning role`.execute(this.db);
    return rows.rows.length === 0 ? null : { user, role: rows.rows[0]!.role };
  }

  async removeMember(labelingProjectId: string, user: string): Promise<boolean> {
    const rows = await sql`
      delete from labeling_members m using users u
      where m.labeling_project_id = ${labelingProjectId} and m.user_id = u.id and u.name = ${user}
      returning m.user_id`.execute(this.db);
    return rows.rows.length > 0;
  }

  async listMembers(labelingProjectId: string): Promise<LabelingMember[]> {
    const rows = await this.db
      .selectFrom('labeling_members')
      .innerJoin('users', 'users.id', 'labeling_members.user_id')
      .select(['users.name as user', 'labeling_members.role'])
      .where('labeling_members.labeling_project_id', '=', labelingProjectId)
      .orderBy('users.name')
      .execute();
    return rows.map((r) => ({ user: r.user, role: r.role as MemberRole }));
  }

  async rolesOf(userId: string, labelingProjectIds: readonly string[]): Promise<Map<string, MemberRole>> {
    if (labelingProjectIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('labeling_members')
      .select(['labeling_project_id', 'role'])
      .where('user_id', '=', userId)
      .where('labeling_project_id', 'in', [...labelingProjectIds])
      .execute();
    return new Map(rows.map((r) => [r.labeling_project_id, r.role as MemberRole]));
  }

  async insertTasks(labelingProjectId: string, tasks: readonly NewTask[]): Promise<number> {
    let inserted = 0;
    for (const batch of chunks(tasks, ROWS)) {
      // unnest keeps one statement to four parameters, however many rows it carries.
      const result = await sql`
        insert into labeling_tasks (labeling_project_id, path, sort_key, needed)
        select ${labelingProjectId}, t.path, t.sort_key, t.needed
        from unnest(${batch.map((t) => t.path)}::text[], ${batch.map((t) => t.sortKey)}::text[], ${batch.map((t) => t.needed)}::int[]) as t(path, sort_key, needed)
        on conflict (labeling_project_id, path) do nothing`.execute(this.db);
      const added = Number(result.numAffectedRows ?? 0n);
      if (added > 0) await sql`update labeling_projects set open_tasks = open_tasks + ${added} where id = ${labelingProjectId}`.execute(this.db);
      inserted += added;
    }
    return inserted;
  }

  async removeTasks(labelingProjectId: string, paths: readonly string[]): Promise<number> {
    let removed = 0;
    for (const batch of chunks(paths, ROWS)) {
      const result = await sql<{ removed: number }>`
        with gone as (
          delete from labeling_tasks where labeling_project_id = ${labelingProjectId} and path = any(${batch}::text[]) returning status),
        counted as (
          update labeling_projects set
            open_tasks = open_tasks - (select count(*) from gone where status = 'open'),
            review_tasks = review_tasks - (select count(*) from gone where status = 'review'),
            done_tasks = done_tasks - (select count(*) from gone where status = 'done')
          where id = ${labelingProjectId})
        select count(*)::int as removed from gone`.execute(this.db);
      removed += result.rows[0]!.removed;
    }
    return removed;
  }

  async setSortKeys(labelingProjectId: string, keys: readonly { path: string; sortKey: string }[]): Promise<void> {
    for (const batch of chunks(keys, ROWS))
      await sql`
        update labeling_tasks t set sort_key = k.sort_key
        from unnest(${batch.map((k) => k.path)}::text[], ${batch.map((k) => k.sortKey)}::text[]) as k(path, sort_key)
        where t.labeling_project_id = ${labelingProjectId} and t.path = k.path and t.sort_key <> k.sort_key`.execute(this.db);
  }

  async leaseTasks(labelingProjectId: string, userId: string, input: { count: number; exclude: readonly string[]; now: Date; until: Date }): Promise<LeasedTask[]> {
    const leased: LeasedTask[] = [];
    // Candidates other callers hold locked are skipped, not waited for; they are mostly free
    // again once those callers commit, so a short fall is worth another try or two.
    for (let attempt = 0; attempt < ATTEMPTS && leased.length < input.count; attempt++) {
      const exclude = [...input.exclude, ...leased.map((t) => t.path)];
      const more = await this.transaction((tx) => (tx as KyselyLabelingStore).leaseInTransaction(labelingProjectId, userId, { ...input, count: input.count - leased.length, exclude }));
      leased.push(...more);
      if (more.length === 0 && attempt > 0) break;
    }
    return leased;
  }

  private async leaseInTransaction(lp: string, userId: string, input: { count: number; exclude: readonly string[]; now: Date; until: Date }): Promise<LeasedTask[]> {
    const leased: string[] = [];
    const skipped = new Set(input.exclude);
    // Each round locks candidates (skipping rows other callers hold locked), then checks them
    // again. The check is a new statement, so it sees every lease committed by callers that
    // held these rows before us — and anyone leasing a task locks its row first — so a task's
    // last slot is never leased twice. A round ends short only when a check drops a task.
    for (let round = 0; round < ROUNDS && leased.length < input.count; round++) {
      const want = input.count - leased.length;
      const locked = await sql<{ path: string }>`
        select t.path from labeling_tasks t
        where t.labeling_project_id = ${lp} and t.status = 'open'
          and t.path <> all(${[...skipped]}::text[])
          and ${available(lp, userId, input.now)}
        order by t.sort_key, t.path
        limit ${want}
        for update of t skip locked`.execute(this.db);
      if (locked.rows.length === 0) break;
      for (const row of locked.rows) skipped.add(row.path);
      const free = await sql<{ path: string }>`
        select t.path from labeling_tasks t
        where t.labeling_project_id = ${lp} and t.status = 'open'
          and t.path = any(${locked.rows.map((r) => r.path)}::text[])
          and ${available(lp, userId, input.now)}
        order by t.sort_key, t.path`.execute(this.db);
      if (free.rows.length > 0)
        await sql`
          insert into labeling_leases (labeling_project_id, path, user_id, expires_at)
          select ${lp}, p, ${userId}, ${input.until}::timestamptz from unnest(${free.rows.map((r) => r.path)}::text[]) as p
          on conflict (labeling_project_id, path, user_id) do update set expires_at = excluded.expires_at`.execute(this.db);
      leased.push(...free.rows.map((r) => r.path));
      if (locked.rows.length < want) break;
    }
    return leased.map((path) => ({ path, expiresAt: input.until }));
  }

  async renewLeases(labelingProjectId: string, userId: string, input: { now: Date; until: Date }): Promise<LeasedTask[]> {
    const rows = await sql<{ path: string; expires_at: Date }>`
      with renewed as (
        update labeling_leases l set expires_at = ${input.until}::timestamptz
        from labeling_tasks t
        where l.labeling_project_id = ${labelingProjectId} and l.user_id = ${userId} and l.expires_at > ${input.now}::timestamptz
          and t.labeling_project_id = l.labeling_project_id and t.path = l.path and t.status = 'open'
        returning l.path, l.expires_at, t.sort_key)
      select path, expires_at from renewed order by sort_key, path`.execute(this.db);
    return rows.rows.map((r) => ({ path: r.path, expiresAt: r.expires_at }));
  }

  async leaseOf(labelingProjectId: string, path: string, userId: string): Promise<Date | null> {
    const row = await this.db
      .selectFrom('labeling_leases')
      .select('expires_at')
      .where('labeling_project_id', '=', labelingProjectId)
      .where('path', '=', path)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.expires_at ?? null;
  }

  async othersLeases(labelingProjectId: string, path: string, userId: string, now: Date): Promise<number> {
    const row = await this.db
      .selectFrom('labeling_leases')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('labeling_project_id', '=', labelingProjectId)
      .where('path', '=', path)
      .where('user_id', '<>', userId)
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async restoreLease(labelingProjectId: string, path: string, userId: string, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('labeling_leases')
      .values({ labeling_project_id: labelingProjectId, path, user_id: userId, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['labeling_project_id', 'path', 'user_id']).doUpdateSet({ expires_at: expiresAt }))
      .execute();
  }

  async releaseLease(labelingProjectId: string, path: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('labeling_leases')
      .where('labeling_project_id', '=', labelingProjectId)
      .where('path', '=', path)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async lockTask(labelingProjectId: string, path: string): Promise<TaskState | null> {
    const row = await this.db
      .selectFrom('labeling_tasks')
      .select(['path', 'status', 'needed', 'submitted', 'agreement', 'agreement_kind', 'review_reason'])
      .where('labeling_project_id', '=', labelingProjectId)
      .where('path', '=', path)
      .forUpdate()
      .executeTakeFirst();
    return row ? taskOf(row) : null;
  }

  async setTask(labelingProjectId: string, path: string, state: Omit<TaskState, 'path' | 'needed'>): Promise<void> {
    await this.transaction(async (tx) => {
      const db = (tx as KyselyLabelingStore).db;
      const before = await db
        .selectFrom('labeling_tasks')
        .select('status')
        .where('labeling_project_id', '=', labelingProjectId)
        .where('path', '=', path)
        .forUpdate()
        .executeTakeFirst();
      if (!before) return;
      await db
        .updateTable('labeling_tasks')
        .set({ status: state.status, submitted: state.submitted, agreement: state.agreement, agreement_kind: state.agreementKind, review_reason: state.reviewReason })
        .where('labeling_project_id', '=', labelingProjectId)
        .where('path', '=', path)
        .execute();
      if (before.status === state.status) return;
      const from = sql.ref(`${before.status}_tasks`);
      const to = sql.ref(`${state.status}_tasks`);
      await sql`update labeling_projects set ${from} = ${from} - 1, ${to} = ${to} + 1 where id = ${labelingProjectId}`.execute(db);
    });
  }

  async submissions(labelingProjectId: string, path: string): Promise<SubmissionRecord[]> {
    const rows = await this.db
      .selectFrom('labeling_submissions')
      .select(['user_id', 'user_name', 'annotations', 'created_at', 'event_seq'])
      .where('labeling_project_id', '=', labelingProjectId)
      .where('path', '=', path)
      .orderBy('event_seq')
      .execute();
    return rows.map((r) => ({ userId: r.user_id, user: r.user_name, annotations: JSON.parse(r.annotations) as Annotation[], time: r.created_at, eventSeq: Number(r.event_seq) }));
  }

  async addSubmission(labelingProjectId: string, path: string, s: SubmissionRecord & { classSet: string }): Promise<void> {
    await this.db
      .insertInto('labeling_submissions')
      .values({
        labeling_project_id: labelingProjectId,
        path,
        user_id: s.userId,
        user_name: s.user,
        annotations: canonicalJson(s.annotations),
        class_set: s.classSet,
        event_seq: s.eventSeq,
        created_at: s.time,
      })
      .execute();
  }

  async removeSubmission(labelingProjectId: string, path: string, userId: string): Promise<void> {
    await this.db.deleteFrom('labeling_submissions').where('labeling_project_id', '=', labelingProjectId).where('path', '=', path).where('user_id', '=', userId).execute();
  }

  async clearSubmissions(labelingProjectId: string, path: string): Promise<number> {
    const result = await this.db.deleteFrom('labeling_submissions').where('labeling_project_id', '=', labelingProjectId).where('path', '=', path).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async hasSkipped(labelingProjectId: string, path: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('labeling_skips')
      .select('path')
      .where('labeling_project_id', '=', labelingProjectId)
      .where('path', '=', path)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async addSkip(labelingProjectId: string, path: string, userId: string, reason: string, time: Date): Promise<void> {
    await this.db
      .insertInto('labeling_skips')
      .values({ labeling_project_id: labelingProjectId, path, user_id: userId, reason, created_at: time })
      .onConflict((oc) => oc.columns(['labeling_project_id', 'path', 'user_id']).doUpdateSet({ reason, created_at: time }))
      .execute();
  }

  async addEvent(event: NewEvent): Promise<EventRecord> {
    const row = await this.db
      .insertInto('labeling_events')
      .values({
        labeling_project_id: event.labelingProjectId,
        dataset_id: event.datasetId,
        path: event.path,
        user_id: event.userId,
        user_name: event.user,
        action: event.action,
        annotations: event.annotations === undefined ? null : canonicalJson(event.annotations),
        comment: event.comment ?? null,
        time: event.time,
        submission_id: event.submissionId ?? null,
        commit: event.commit ?? null,
        snapshot: event.snapshot ?? null,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return (await this.events(sql`e.seq = ${row.seq}`, 1))[0]!;
  }

  async deleteEvent(seq: number): Promise<void> {
    await this.db.deleteFrom('labeling_events').where('seq', '=', seq).execute();
  }

  async eventBySubmission(labelingProjectId: string, submissionId: string): Promise<EventRecord | null> {
    return (await this.events(sql`e.labeling_project_id = ${labelingProjectId} and e.submission_id = ${submissionId}`, 1))[0] ?? null;
  }

  async setEventResult(seq: number, result: JsonValue): Promise<void> {
    await this.db.updateTable('labeling_events').set({ result: canonicalJson(result) }).where('seq', '=', seq).execute();
  }

  async setReviewOutcome(seqs: readonly number[], outcome: 'accepted' | 'rejected'): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.updateTable('labeling_events').set({ review_outcome: outcome }).where('seq', 'in', [...seqs]).execute();
  }

  async markStaged(labelingProjectId: string, path: string, eventSeq: number): Promise<void> {
    // Only the latest staged edit of a path is what a commit will hold.
    await sql`update labeling_events set staged = false where labeling_project_id = ${labelingProjectId} and path = ${path} and staged and commit is null`.execute(this.db);
    await this.db.updateTable('labeling_events').set({ staged: true }).where('seq', '=', eventSeq).execute();
    await sql`
      update labeling_tasks set uncommitted = true, staged_version = staged_version + 1
      where labeling_project_id = ${labelingProjectId} and path = ${path}`.execute(this.db);
  }

  async uncommitted(labelingProjectId: string): Promise<UncommittedEdit[]> {
    const rows = await this.db
      .selectFrom('labeling_tasks')
      .select(['path', 'staged_version'])
      .where('labeling_project_id', '=', labelingProjectId)
      .where('uncommitted', '=', true)
      .orderBy('path')
      .execute();
    return rows.map((r) => ({ path: r.path, version: r.staged_version }));
  }

  async markCommitted(
    lp: LabelingProjectRecord,
    edits: readonly UncommittedEdit[],
    commit: { commit: string; snapshot: string; user: string; userId: string | null; time: Date },
  ): Promise<void> {
    for (const batch of chunks(edits, ROWS)) {
      const paths = batch.map((e) => e.path);
      await sql`
        update labeling_events set commit = ${commit.commit}, snapshot = ${commit.snapshot}, staged = false
        where labeling_project_id = ${lp.id} and staged and commit is null and path = any(${paths}::text[])`.execute(this.db);
      await sql`
        insert into labeling_events (labeling_project_id, dataset_id, path, user_id, user_name, action, time, commit, snapshot)
        select ${lp.id}, ${lp.datasetId}, p, ${commit.userId}, ${commit.user}, 'commit', ${commit.time}::timestamptz, ${commit.commit}, ${commit.snapshot}
        from unnest(${paths}::text[]) as p`.execute(this.db);
      await sql`
        update labeling_tasks t set uncommitted = false
        from unnest(${paths}::text[], ${batch.map((e) => e.version)}::int[]) as e(path, version)
        where t.labeling_project_id = ${lp.id} and t.path = e.path and t.staged_version = e.version`.execute(this.db);
    }
  }

  async history(datasetId: string, path: string, limit: number): Promise<EventRecord[]> {
    return this.events(sql`e.dataset_id = ${datasetId} and e.path = ${path}`, limit);
  }

  async progress(labelingProjectId: string, now: Date): Promise<Progress> {
    // Status counts are kept on the project row; leases, skips and uncommitted edits are few
    // next to the tasks, so they are counted from their side.
    const row = await sql<{ open: number; review: number; done: number; leased: number; skipped: number; uncommitted: number }>`
      select p.open_tasks as open, p.review_tasks as review, p.done_tasks as done,
        (select count(distinct l.path) from labeling_leases l
          where l.labeling_project_id = p.id and l.expires_at > ${now}::timestamptz and ${isOpen(sql`l`)})::int as leased,
        (select count(distinct k.path) from labeling_skips k
          where k.labeling_project_id = p.id and ${isOpen(sql`k`)}
            and not exists (select 1 from labeling_leases l where l.labeling_project_id = k.labeling_project_id and l.path = k.path and l.expires_at > ${now}::timestamptz))::int as skipped,
        (select count(*) from labeling_tasks u where u.labeling_project_id = p.id and u.uncommitted)::int as uncommitted
      from labeling_projects p where p.id = ${labelingProjectId}`.execute(this.db);
    const r = row.rows[0];
    if (!r) return { total: 0, unlabeled: 0, leased: 0, inReview: 0, done: 0, skipped: 0, uncommitted: 0 };
    return { total: r.open + r.review + r.done, unlabeled: r.open - r.leased - r.skipped, leased: r.leased, inReview: r.review, done: r.done, skipped: r.skipped, uncommitted: r.uncommitted };
  }

  async reviewQueue(labelingProjectId: string, limit: number): Promise<TaskState[]> {
    const rows = await this.db
      .selectFrom('labeling_tasks')
      .select(['path', 'status', 'needed', 'submitted', 'agreement', 'agreement_kind', 'review_reason'])
      .where('labeling_project_id', '=', labelingProjectId)
      .where('status', '=', 'review')
      .orderBy(sql`agreement asc nulls first`)
      .orderBy('path')
      .limit(limit)
      .execute();
    return rows.map(taskOf);
  }

  async labelerFigures(labelingProjectId: string): Promise<LabelerFigures[]> {
    const submits = await sql<{ user_name: string; submitted: number; accepted: number; rejected: number; first: Date; last: Date; median: number | null }>`
      with submits as (
        select user_name, time, review_outcome,
          extract(epoch from time - lag(time) over (partition by user_name order by time, seq))::float8 as gap
        from labeling_events where labeling_project_id = ${labelingProjectId} and action = 'submit')
      select user_name, count(*)::int as submitted,
        count(*) filter (where review_outcome = 'accepted')::int as accepted,
        count(*) filter (where review_outcome = 'rejected')::int as rejected,
        min(time) as first, max(time) as last,
        percentile_cont(0.5) within group (order by gap) as median
      from submits group by user_name`.execute(this.db);
    const skips = await sql<{ user_name: string; skipped: number }>`
      select user_name, count(*)::int as skipped from labeling_events
      where labeling_project_id = ${labelingProjectId} and action = 'skip' group by user_name`.execute(this.db);
    const figures = new Map<string, LabelerFigures>();
    for (const r of submits.rows)
      figures.set(r.user_name, {
        user: r.user_name,
        submitted: r.submitted,
        skipped: 0,
        accepted: r.accepted,
        rejected: r.rejected,
        firstSubmit: r.first,
        lastSubmit: r.last,
        medianSeconds: r.median === null ? null : Number(r.median),
      });
    for (const r of skips.rows) {
      const known = figures.get(r.user_name);
      figures.set(r.user_name, known
        ? { ...known, skipped: r.skipped }
        : { user: r.user_name, submitted: 0, skipped: r.skipped, accepted: 0, rejected: 0, firstSubmit: null, lastSubmit: null, medianSeconds: null });
    }
    return [...figures.values()].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  }

  async classRatings(labelingProjectId: string): Promise<string[][]> {
    const rows = await sql<{ path: string; class_set: string }>`
      select s.path, s.class_set from labeling_submissions s
      join labeling_tasks t using (labeling_project_id, path)
      where t.labeling_project_id = ${labelingProjectId} and t.agreement_kind = 'class' and t.needed > 1 and t.submitted = t.needed
      order by s.path, s.event_seq`.execute(this.db);
    const byItem = new Map<string, string[]>();
    for (const r of rows.rows) {
      const list = byItem.get(r.path);
      if (list) list.push(r.class_set);
      else byItem.set(r.path, [r.class_set]);
    }
    return [...byItem.values()];
  }

  async agreementSummary(labelingProjectId: string, threshold: number): Promise<{ items: number; meanGeometry: number | null; belowThreshold: number }> {
    const row = await sql<{ items: number; mean_geometry: number | null; below: number }>`
      select count(*)::int as items,
        avg(agreement) filter (where agreement_kind = 'geometry') as mean_geometry,
        count(*) filter (where agreement < ${threshold})::int as below
      from labeling_tasks
      where labeling_project_id = ${labelingProjectId} and needed > 1 and submitted = needed and agreement_kind is not null`.execute(this.db);
    const r = row.rows[0]!;
    return { items: r.items, meanGeometry: r.mean_geometry === null ? null : Number(r.mean_geometry), belowThreshold: r.below };
  }

  async mediaTypes(hashes: readonly string[]): Promise<Map<string, string>> {
    if (hashes.length === 0) return new Map();
    const rows = await this.db.selectFrom('blobs').select(['hash', 'media_type']).where('hash', 'in', [...new Set(hashes)]).execute();
    return new Map(rows.flatMap((r) => (r.media_type === null ? [] : [[r.hash, r.media_type] as const])));
  }

  private selectProjects() {
    return this.db
      .selectFrom('labeling_projects')
      .innerJoin('projects', 'projects.id', 'labeling_projects.project_id')
      .innerJoin('datasets', 'datasets.id', 'labeling_projects.dataset_id')
      .selectAll('labeling_projects')
      .select(['projects.name as project', 'datasets.name as dataset']);
  }

  private async byId(id: string): Promise<LabelingProjectRecord | null> {
    const row = await this.selectProjects().where('labeling_projects.id', '=', id).executeTakeFirst();
    return row ? projectOf(row) : null;
  }

  private async events(where: ReturnType<typeof sql>, limit: number): Promise<EventRecord[]> {
    const rows = await sql<EventRow>`
      select e.seq, e.path, p.name as labeling_project, e.user_id, e.user_name, e.action, e.annotations, e.comment, e.time, e.commit, e.snapshot, e.result
      from labeling_events e left join labeling_projects p on p.id = e.labeling_project_id
      where ${where}
      order by e.seq desc
      limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => ({
      seq: Number(r.seq),
      path: r.path,
      labelingProject: r.labeling_project,
      userId: r.user_id,
      user: r.user_name,
      action: r.action as EventAction,
      annotations: r.annotations === null ? null : (JSON.parse(r.annotations) as JsonValue),
      comment: r.comment,
      time: r.time,
      commit: r.commit,
      snapshot: r.snapshot,
      result: r.result === null ? null : (JSON.parse(r.result) as JsonValue),
    }));
  }
}

interface EventRow {
  seq: number;
  path: string;
  labeling_project: string | null;
  user_id: string | null;
  user_name: string;
  action: string;
  annotations: string | null;
  comment: string | null;
  time: Date;
  commit: string | null;
  snapshot: string | null;
  result: string | null;
}

/**
 * Whether the task (aliased `t`) is one the user can take now: not submitted or skipped by it,
 * not under its own live lease, and with room left for one more labeler.
 */
function available(lp: string, userId: string, now: Date) {
  return sql<boolean>`
    not exists (select 1 from labeling_submissions s where s.labeling_project_id = ${lp} and s.path = t.path and s.user_id = ${userId})
    and not exists (select 1 from labeling_skips k where k.labeling_project_id = ${lp} and k.path = t.path and k.user_id = ${userId})
    and not exists (select 1 from labeling_leases l where l.labeling_project_id = ${lp} and l.path = t.path and l.user_id = ${userId} and l.expires_at > ${now}::timestamptz)
    and t.submitted + (select count(*) from labeling_leases l where l.labeling_project_id = ${lp} and l.path = t.path
      and l.user_id <> ${userId} and l.expires_at > ${now}::timestamptz) < t.needed`;
}

/**
 * Whether the task of a lease or skip row (aliased `row`) is open. A scalar subquery, so it
 * stays a primary-key lookup per (few) lease or skip row: as an EXISTS the planner may turn it
 * into a join that walks every task of the project, e.g. before the table is analyzed.
 */
function isOpen(row: ReturnType<typeof sql>) {
  return sql<boolean>`(select t.status from labeling_tasks t where t.labeling_project_id = ${row}.labeling_project_id and t.path = ${row}.path) = 'open'`;
}

function projectOf(row: ProjectRow): LabelingProjectRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    project: row.project,
    name: row.name,
    datasetId: row.dataset_id,
    dataset: row.dataset,
    branch: row.branch,
    schema: JSON.parse(row.schema) as LabelSchema,
    instructions: row.instructions,
    overlap: row.overlap,
    overlapFraction: row.overlap_fraction,
    queueOrder: row.queue_order,
    autoCommitEvery: row.auto_commit_every,
    reviewThreshold: row.review_threshold,
    syncedCommit: row.synced_commit,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function taskOf(row: { path: string; status: string; needed: number; submitted: number; agreement: number | null; agreement_kind: string | null; review_reason: string | null }): TaskState {
  return {
    path: row.path,
    status: row.status as TaskStatus,
    needed: row.needed,
    submitted: row.submitted,
    agreement: row.agreement,
    agreementKind: row.agreement_kind,
    reviewReason: row.review_reason,
  };
}
