import { sql, type Kysely } from 'kysely';
import type { ProjectName } from '../../core/ids.ts';
import type { Project } from '../../core/model.ts';
import type { ProjectGrants } from '../../services/access/project-grants.ts';
import { chunks } from './chunks.ts';
import type { Database } from './database.ts';

// Rows per statement: well under PostgreSQL's 65,535 bind parameters.
const BATCH = 5_000;

/**
 * `ProjectGrants` on the `project_blobs` and `project_commits` tables. Commit grants are
 * written by the ref store whenever a branch is created or moved (see `grantCommit`), in the
 * same transaction, so a commit is never reachable from a project's branch without its grant.
 */
export class KyselyAccessStore implements ProjectGrants {
  constructor(private readonly db: Kysely<Database>) {}

  async grantBlobs(project: string, hashes: readonly string[]): Promise<void> {
    for (const batch of chunks([...new Set(hashes)], BATCH)) {
      await sql`
        insert into project_blobs (project_id, hash)
        select p.id, h.hash from projects p cross join unnest(${batch}::text[]) as h(hash)
        where p.name = ${project}
        on conflict do nothing`.execute(this.db);
    }
  }

  async missingBlobs(project: string, hashes: readonly string[]): Promise<string[]> {
    const held = new Set<string>();
    for (const batch of chunks([...new Set(hashes)], BATCH)) {
      const rows = await this.db
        .selectFrom('project_blobs')
        .innerJoin('projects', 'projects.id', 'project_blobs.project_id')
        .select('project_blobs.hash')
        .where('projects.name', '=', project)
        .where('project_blobs.hash', 'in', batch)
        .execute();
      for (const row of rows) held.add(row.hash);
    }
    return hashes.filter((h) => !held.has(h));
  }

  hasCommit(project: string, commit: string): Promise<boolean> {
    return this.granted(project, 'commit_id', commit);
  }

  hasSnapshot(project: string, snapshot: string): Promise<boolean> {
    return this.granted(project, 'snapshot', snapshot);
  }

  /** Whether some commit granted to the project has this id or snapshot. */
  private async granted(project: string, column: 'commit_id' | 'snapshot', value: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('project_commits')
      .innerJoin('projects', 'projects.id', 'project_commits.project_id')
      .select('project_commits.commit_id')
      .where('projects.name', '=', project)
      .where(`project_commits.${column}`, '=', value)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async projectsOf(userId: string | null, page: { after?: string | undefined; limit: number }): Promise<Project[]> {
    let query = this.db.selectFrom('projects').select(['projects.id', 'projects.name', 'projects.created_at']);
    if (userId !== null)
      query = query.innerJoin('memberships', 'memberships.project_id', 'projects.id').where('memberships.user_id', '=', userId);
    if (page.after !== undefined) query = query.where('projects.name', '>', page.after);
    const rows = await query.orderBy('projects.name').limit(page.limit).execute();
    return rows.map((r) => ({ id: r.id, name: r.name as ProjectName, createdAt: r.created_at }));
  }
}

/**
 * Records that the dataset's project may read `commit` (and its snapshot). Called by the ref
 * store inside the transaction that points a branch at the commit.
 */
export async function grantCommit(db: Kysely<Database>, datasetId: string, commit: string): Promise<void> {
  await db
    .insertInto('project_commits')
    .columns(['project_id', 'commit_id', 'snapshot'])
    .expression((eb) =>
      eb
        .selectFrom('datasets')
        .innerJoin('commits', (join) => join.on('commits.id', '=', commit))
        .select(['datasets.project_id', 'commits.id', 'commits.snapshot'])
        .where('datasets.id', '=', datasetId),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}
