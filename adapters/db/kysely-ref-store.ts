import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { AlreadyExistsError, NotFoundError, type EntityKind } from '../../core/errors.ts';
import type { BranchName, CommitId, DatasetName, ProjectName, SnapshotHash, TagName } from '../../core/ids.ts';
import type { Branch, Dataset, PageRequest, Project, Tag } from '../../core/model.ts';
import type { RefStore } from '../../core/ports.ts';
import type { BranchesTable, Database, DatasetsTable, ProjectsTable, TagsTable } from './database.ts';
import { grantCommit } from './kysely-access-store.ts';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, sqlErrorOf } from './sql-state.ts';

/**
 * `RefStore` on the `projects`, `datasets`, `branches` and `tags` tables. Lists are keyset
 * pages ordered by name (code point order); `after` is the last name of the previous page.
 *
 * Creates use `on conflict do nothing` and report a taken name when no row comes back, so a
 * duplicate does not abort the caller's transaction; a unique violation that still happens
 * (a constraint the statement did not name) is mapped the same way.
 */
export class KyselyRefStore implements RefStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** @throws AlreadyExistsError('project') */
  async createProject(name: ProjectName): Promise<Project> {
    const row = await this.create('project', name, () =>
      this.db
        .insertInto('projects')
        .values({ id: randomUUID(), name })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll()
        .executeTakeFirst(),
    );
    return toProject(row);
  }

  async getProject(name: ProjectName): Promise<Project | null> {
    const row = await this.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toProject(row) : null;
  }

  async listProjects(page: PageRequest): Promise<Project[]> {
    if (page.limit <= 0) return [];
    let query = this.db.selectFrom('projects').selectAll();
    if (page.after !== undefined) query = query.where('name', '>', page.after);
    const rows = await query.orderBy('name').limit(page.limit).execute();
    return rows.map(toProject);
  }

  /**
   * @throws AlreadyExistsError('dataset') when the project already has that name;
   * NotFoundError('project') when `projectId` does not exist.
   */
  async createDataset(input: { projectId: string; name: DatasetName; origin: Dataset['origin'] }): Promise<Dataset> {
    const row = await this.create('dataset', input.name, () =>
      this.db
        .insertInto('datasets')
        .values({
          id: randomUUID(),
          project_id: input.projectId,
          name: input.name,
          origin_snapshot: input.origin?.snapshot ?? null,
          origin_commit: input.origin?.commit ?? null,
        })
        .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
        .returningAll()
        .executeTakeFirst(),
      { kind: 'project', id: input.projectId },
    );
    return toDataset(row);
  }

  async getDataset(projectId: string, name: DatasetName): Promise<Dataset | null> {
    const row = await this.db
      .selectFrom('datasets')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toDataset(row) : null;
  }

  async getDatasetById(id: string): Promise<Dataset | null> {
    const row = await this.db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDataset(row) : null;
  }

  async listDatasets(projectId: string, page: PageRequest): Promise<Dataset[]> {
    if (page.limit <= 0) return [];
    let query = this.db.selectFrom('datasets').selectAll().where('project_id', '=', projectId);
    if (page.after !== undefined) query = query.where('name', '>', page.after);
    const rows = await query.orderBy('name').limit(page.limit).execute();
    return rows.map(toDataset);
  }

  /**
   * @throws AlreadyExistsError('branch'); NotFoundError('commit') when `head` is not stored,
   * NotFoundError('dataset') when `datasetId` does not exist.
   */
  async createBranch(input: { datasetId: string; name: BranchName; head: CommitId }): Promise<Branch> {
    const row = await this.create(
      'branch',
      input.name,
      () =>
        this.db
          .insertInto('branches')
          .values({ id: randomUUID(), dataset_id: input.datasetId, name: input.name, head: input.head })
          .onConflict((oc) => oc.columns(['dataset_id', 'name']).doNothing())
          .returningAll()
          .executeTakeFirst(),
      { kind: 'dataset', id: input.datasetId },
      { kind: 'commit', id: input.head, constraint: 'branches_head_fkey' },
    );
    await grantCommit(this.db, input.datasetId, input.head);
    return toBranch(row);
  }

  async getBranch(datasetId: string, name: BranchName): Promise<Branch | null> {
    const row = await this.db
      .selectFrom('branches')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toBranch(row) : null;
  }

  async listBranches(datasetId: string, page: PageRequest): Promise<Branch[]> {
    if (page.limit <= 0) return [];
    let query = this.db.selectFrom('branches').selectAll().where('dataset_id', '=', datasetId);
    if (page.after !== undefined) query = query.where('name', '>', page.after);
    const rows = await query.orderBy('name').limit(page.limit).execute();
    return rows.map(toBranch);
  }

  /** Deletes the branch; its staged changes go with it (`on delete cascade`). Absent: no-op. */
  async deleteBranch(branchId: string): Promise<void> {
    await this.db.deleteFrom('branches').where('id', '=', branchId).execute();
  }

  /**
   * One conditional update, so the check and the move are atomic even across servers.
   * @throws NotFoundError('commit') when `next` is not stored.
   */
  async moveBranch(branchId: string, expected: CommitId, next: CommitId): Promise<boolean> {
    try {
      const result = await this.db
        .updateTable('branches')
        .set({ head: next })
        .where('id', '=', branchId)
        .where('head', '=', expected)
        .returning('dataset_id')
        .executeTakeFirst();
      if (!result) return false;
      await grantCommit(this.db, result.dataset_id, next);
      return true;
    } catch (error) {
      if (sqlErrorOf(error).code === FOREIGN_KEY_VIOLATION) throw new NotFoundError('commit', next);
      throw error;
    }
  }

  /**
   * @throws AlreadyExistsError('tag'); NotFoundError('commit') when `commit` is not stored,
   * NotFoundError('dataset') when `datasetId` does not exist.
   */
  async createTag(input: { datasetId: string; name: TagName; commit: CommitId }): Promise<Tag> {
    const row = await this.create(
      'tag',
      input.name,
      () =>
        this.db
          .insertInto('tags')
          .values({ dataset_id: input.datasetId, name: input.name, commit: input.commit })
          .onConflict((oc) => oc.columns(['dataset_id', 'name']).doNothing())
          .returningAll()
          .executeTakeFirst(),
      { kind: 'dataset', id: input.datasetId },
      { kind: 'commit', id: input.commit, constraint: 'tags_commit_fkey' },
    );
    return toTag(row);
  }

  async getTag(datasetId: string, name: TagName): Promise<Tag | null> {
    const row = await this.db
      .selectFrom('tags')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toTag(row) : null;
  }

  async listTags(datasetId: string, page: PageRequest): Promise<Tag[]> {
    if (page.limit <= 0) return [];
    let query = this.db.selectFrom('tags').selectAll().where('dataset_id', '=', datasetId);
    if (page.after !== undefined) query = query.where('name', '>', page.after);
    const rows = await query.orderBy('name').limit(page.limit).execute();
    return rows.map(toTag);
  }

  /**
   * Runs an insert that returns no row on a name conflict and maps the failures: a taken name
   * to AlreadyExistsError, a missing referenced row to NotFoundError (`parent` unless a more
   * specific constraint matches).
   */
  private async create<Row>(
    kind: EntityKind,
    name: string,
    insert: () => Promise<Row | undefined>,
    parent?: { kind: EntityKind; id: string },
    reference?: { kind: EntityKind; id: string; constraint: string },
  ): Promise<Row> {
    let row: Row | undefined;
    try {
      row = await insert();
    } catch (error) {
      const { code, constraint } = sqlErrorOf(error);
      if (code === UNIQUE_VIOLATION) throw new AlreadyExistsError(kind, name);
      if (code === FOREIGN_KEY_VIOLATION) {
        const missing = reference && constraint === reference.constraint ? reference : parent;
        if (missing) throw new NotFoundError(missing.kind, missing.id);
      }
      throw error;
    }
    if (row === undefined) throw new AlreadyExistsError(kind, name);
    return row;
  }
}

function toProject(row: Selectable<ProjectsTable>): Project {
  return { id: row.id, name: row.name as ProjectName, createdAt: row.created_at };
}

function toDataset(row: Selectable<DatasetsTable>): Dataset {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name as DatasetName,
    createdAt: row.created_at,
    origin:
      row.origin_snapshot === null
        ? null
        : { snapshot: row.origin_snapshot as SnapshotHash, commit: row.origin_commit as CommitId | null },
  };
}

function toBranch(row: Selectable<BranchesTable>): Branch {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name as BranchName,
    head: row.head as CommitId,
    createdAt: row.created_at,
  };
}

function toTag(row: Selectable<TagsTable>): Tag {
  return { datasetId: row.dataset_id, name: row.name as TagName, commit: row.commit as CommitId, createdAt: row.created_at };
}
