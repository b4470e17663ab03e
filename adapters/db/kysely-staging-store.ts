import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import { canonicalJson, type JsonObject, type JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import type { BlobHash } from '../../core/ids.ts';
import type { ItemPath } from '../../core/item-path.ts';
import type { Item, PageRequest, StagedChange } from '../../core/model.ts';
import type { StagingStore } from '../../core/ports.ts';
import { chunks } from './chunks.ts';
import type { Database, StagingTable } from './database.ts';
import { inTransaction } from './in-transaction.ts';
import { prefixUpperBound } from './prefix-upper-bound.ts';

const KEYS_PER_QUERY = 1000;
// Rows travel as one array per column (unnest), so the bind-parameter limit does not apply;
// this only bounds the size of one statement.
const ROWS_PER_UPSERT = 10_000;
const ANALYZE_AFTER_ROWS = 10_000;

/**
 * `StagingStore` on the `staging` table, one row per (branch, generation, path); `path` is
 * `COLLATE "C"` so SQL order is `comparePaths` order. Only rows of the branch's current
 * `staging_generation` are staged; `clear` moves the branch to a new generation, carrying over
 * the rows it must keep, and deletes the rest.
 *
 * Seq values come from one sequence, fresh on every write. A put locks its branch row until
 * its transaction ends, so on one branch seqs become visible in the order they were handed
 * out: a committer that reads `maxSeq` = M has seen every change with seq <= M, and
 * `clear(M)` cannot drop a change it did not fold in.
 */
export class KyselyStagingStore implements StagingStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Upserts changes atomically (a transaction of its own unless already in one); the last
   * change of a path in `changes` wins.
   * @throws NotFoundError('branch'); InvalidInputError when an item's path differs from its key
   * or its meta/annotations are not JSON.
   */
  async put(branchId: string, changes: readonly { path: ItemPath; item: Item | null }[]): Promise<void> {
    const rows = toRows(changes);
    if (rows.length === 0) return;
    await inTransaction(this.db, async (trx) => {
      // The lock also makes a concurrent clear wait, so the generation read here stays current.
      const branch = await trx
        .selectFrom('branches')
        .select('staging_generation')
        .where('id', '=', branchId)
        .forNoKeyUpdate()
        .executeTakeFirst();
      if (!branch) throw new NotFoundError('branch', branchId);
      for (const batch of chunks(rows, ROWS_PER_UPSERT)) {
        await sql`
          insert into staging (branch_id, generation, path, deleted, blob, size, meta, annotations)
          select ${branchId}, ${branch.staging_generation}, u.path, u.deleted, u.blob, u.size, u.meta, u.annotations
          from unnest(
            ${batch.map((row) => row.path)}::text[],
            ${batch.map((row) => row.deleted)}::boolean[],
            ${batch.map((row) => row.blob)}::text[],
            ${batch.map((row) => row.size)}::bigint[],
            ${batch.map((row) => row.meta)}::text[],
            ${batch.map((row) => row.annotations)}::text[]
          ) as u(path, deleted, blob, size, meta, annotations)
          on conflict (branch_id, generation, path) do update set
            seq = excluded.seq, deleted = excluded.deleted, blob = excluded.blob, size = excluded.size,
            meta = excluded.meta, annotations = excluded.annotations
        `.execute(trx);
      }
    });
    // Fresh statistics keep the planner on the ordered primary-key scan for `list`; without
    // them a just-filled table looks tiny and gets a bitmap scan plus a sort of every row.
    if (rows.length >= ANALYZE_AFTER_ROWS && !this.db.isTransaction) await sql`analyze staging`.execute(this.db);
  }

  async get(branchId: string, paths: readonly ItemPath[]): Promise<Map<ItemPath, StagedChange>> {
    const found = new Map<ItemPath, StagedChange>();
    for (const batch of chunks([...new Set(paths)], KEYS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('staging')
        .selectAll()
        .where('branch_id', '=', branchId)
        .where('generation', '=', current(branchId))
        .where((eb) => eb('path', '=', eb.fn.any(eb.val(batch))))
        .execute();
      for (const row of rows) found.set(row.path as ItemPath, toStagedChange(row));
    }
    return found;
  }

  /**
   * Changes in code point order of path, under `prefix`, strictly after `after`, seq <= `maxSeq`.
   * Returns `limit` changes unless fewer are left, so a short page means the end.
   */
  async list(
    branchId: string,
    options: PageRequest & { prefix?: string | undefined; maxSeq?: number | undefined },
  ): Promise<StagedChange[]> {
    if (options.limit <= 0) return [];
    const found: StagedChange[] = [];
    let after = options.after;
    for (;;) {
      const rows = await this.page(branchId, options.prefix, after, options.limit);
      for (const row of rows) {
        // Filtered here, not in SQL: with a seq condition the planner may pick the
        // (branch_id, seq) index and sort the whole branch for every page.
        if (options.maxSeq !== undefined && row.seq > options.maxSeq) continue;
        found.push(toStagedChange(row));
        if (found.length === options.limit) return found;
      }
      if (rows.length < options.limit) return found;
      after = rows[rows.length - 1]!.path;
    }
  }

  /** One page in primary-key order: the (branch_id, path) index serves both filter and order. */
  private async page(branchId: string, prefix: string | undefined, after: string | undefined, limit: number) {
    let query = this.db
      .selectFrom('staging')
      .selectAll()
      .where('branch_id', '=', branchId)
      .where('generation', '=', current(branchId));
    if (prefix) {
      query = query.where('path', '>=', prefix);
      const bound = prefixUpperBound(prefix);
      if (bound !== null) query = query.where('path', '<', bound);
    }
    if (after !== undefined) query = query.where('path', '>', after);
    return query.orderBy('branch_id').orderBy('generation').orderBy('path').limit(limit).execute();
  }

  async maxSeq(branchId: string): Promise<number> {
    const row = await this.db
      .selectFrom('staging')
      .select((eb) => eb.fn.max('seq').as('max'))
      .where('branch_id', '=', branchId)
      .where('generation', '=', current(branchId))
      .executeTakeFirst();
    return row?.max ?? 0;
  }

  async count(branchId: string): Promise<number> {
    const row = await this.db
      .selectFrom('staging')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('branch_id', '=', branchId)
      .where('generation', '=', current(branchId))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async remove(branchId: string, paths: readonly ItemPath[]): Promise<number> {
    let removed = 0;
    for (const batch of chunks([...new Set(paths)], KEYS_PER_QUERY)) {
      const result = await this.db
        .deleteFrom('staging')
        .where('branch_id', '=', branchId)
        .where('generation', '=', current(branchId))
        .where((eb) => eb('path', '=', eb.fn.any(eb.val(batch))))
        .executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    return removed;
  }

  /** Starts a new generation holding only the changes written after `upToSeq`. */
  async clear(branchId: string, upToSeq: number): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      const branch = await trx
        .updateTable('branches')
        .set((eb) => ({ staging_generation: eb('staging_generation', '+', 1) }))
        .where('id', '=', branchId)
        .returning('staging_generation')
        .executeTakeFirst();
      if (!branch) return 0;
      const [previous, next] = [branch.staging_generation - 1, branch.staging_generation];
      await trx
        .updateTable('staging')
        .set({ generation: next })
        .where('branch_id', '=', branchId)
        .where('generation', '=', previous)
        .where('seq', '>', upToSeq)
        .execute();
      const result = await trx
        .deleteFrom('staging')
        .where('branch_id', '=', branchId)
        .where('generation', '=', previous)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}

/** The branch's current staging generation, as a subquery. */
function current(branchId: string) {
  return (eb: ExpressionBuilder<Database, 'staging'>) =>
    eb.selectFrom('branches').select('staging_generation').where('branches.id', '=', branchId);
}

type StagingRow = Omit<StagingTable, 'branch_id' | 'generation' | 'seq'>;

function toRows(changes: readonly { path: ItemPath; item: Item | null }[]): StagingRow[] {
  const byPath = new Map<string, StagingRow>();
  for (const { path, item } of changes) {
    if (item === null) {
      byPath.set(path, { path, deleted: true, blob: null, size: null, meta: null, annotations: null });
      continue;
    }
    if (item.path !== path)
      throw new InvalidInputError('path', `staged under ${JSON.stringify(path)} but the item says ${JSON.stringify(item.path)}`);
    byPath.set(path, {
      path,
      deleted: false,
      blob: item.blob,
      size: item.size,
      meta: canonicalJson(item.meta, 'meta'),
      annotations: canonicalJson(item.annotations, 'annotations'),
    });
  }
  return [...byPath.values()];
}

function toStagedChange(row: Selectable<StagingTable>): StagedChange {
  const path = row.path as ItemPath;
  const item: Item | null = row.deleted
    ? null
    : {
        path,
        blob: row.blob as BlobHash,
        size: row.size!,
        meta: JSON.parse(row.meta!) as JsonObject,
        annotations: JSON.parse(row.annotations!) as JsonValue,
      };
  return { path, item, seq: row.seq };
}
