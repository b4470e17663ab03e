import { sql, type Kysely, type Selectable } from 'kysely';
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

/**
 * `StagingStore` on the `staging` table, one row per (branch, path); `path` is `COLLATE "C"`
 * so SQL order is `comparePaths` order.
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
      const branch = await trx
        .selectFrom('branches')
        .select('id')
        .where('id', '=', branchId)
        .forNoKeyUpdate()
        .executeTakeFirst();
      if (!branch) throw new NotFoundError('branch', branchId);
      for (const batch of chunks(rows, ROWS_PER_UPSERT)) {
        await sql`
          insert into staging (branch_id, path, deleted, blob, size, meta, annotations)
          select ${branchId}, u.path, u.deleted, u.blob, u.size, u.meta, u.annotations
          from unnest(
            ${batch.map((row) => row.path)}::text[],
            ${batch.map((row) => row.deleted)}::boolean[],
            ${batch.map((row) => row.blob)}::text[],
            ${batch.map((row) => row.size)}::bigint[],
            ${batch.map((row) => row.meta)}::text[],
            ${batch.map((row) => row.annotations)}::text[]
          ) as u(path, deleted, blob, size, meta, annotations)
          on conflict (branch_id, path) do update set
            seq = excluded.seq, deleted = excluded.deleted, blob = excluded.blob, size = excluded.size,
            meta = excluded.meta, annotations = excluded.annotations
        `.execute(trx);
      }
    });
  }

  async get(branchId: string, paths: readonly ItemPath[]): Promise<Map<ItemPath, StagedChange>> {
    const found = new Map<ItemPath, StagedChange>();
    for (const batch of chunks([...new Set(paths)], KEYS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('staging')
        .selectAll()
        .where('branch_id', '=', branchId)
        .where((eb) => eb('path', '=', eb.fn.any(eb.val(batch))))
        .execute();
      for (const row of rows) found.set(row.path as ItemPath, toStagedChange(row));
    }
    return found;
  }

  /** Changes in code point order of path, under `prefix`, strictly after `after`, seq <= `maxSeq`. */
  async list(
    branchId: string,
    options: PageRequest & { prefix?: string | undefined; maxSeq?: number | undefined },
  ): Promise<StagedChange[]> {
    if (options.limit <= 0) return [];
    let query = this.db.selectFrom('staging').selectAll().where('branch_id', '=', branchId);
    if (options.prefix) {
      query = query.where('path', '>=', options.prefix);
      const bound = prefixUpperBound(options.prefix);
      if (bound !== null) query = query.where('path', '<', bound);
    }
    if (options.after !== undefined) query = query.where('path', '>', options.after);
    if (options.maxSeq !== undefined) query = query.where('seq', '<=', options.maxSeq);
    const rows = await query.orderBy('path').limit(options.limit).execute();
    return rows.map(toStagedChange);
  }

  async maxSeq(branchId: string): Promise<number> {
    const row = await this.db
      .selectFrom('staging')
      .select((eb) => eb.fn.max('seq').as('max'))
      .where('branch_id', '=', branchId)
      .executeTakeFirst();
    return row?.max ?? 0;
  }

  async count(branchId: string): Promise<number> {
    const row = await this.db
      .selectFrom('staging')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('branch_id', '=', branchId)
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async remove(branchId: string, paths: readonly ItemPath[]): Promise<number> {
    let removed = 0;
    for (const batch of chunks([...new Set(paths)], KEYS_PER_QUERY)) {
      const result = await this.db
        .deleteFrom('staging')
        .where('branch_id', '=', branchId)
        .where((eb) => eb('path', '=', eb.fn.any(eb.val(batch))))
        .executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    return removed;
  }

  async clear(branchId: string, upToSeq: number): Promise<number> {
    const result = await this.db
      .deleteFrom('staging')
      .where('branch_id', '=', branchId)
      .where('seq', '<=', upToSeq)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

type StagingRow = Omit<StagingTable, 'branch_id' | 'seq'>;

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
