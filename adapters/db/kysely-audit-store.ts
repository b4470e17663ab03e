import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEntry, AuditEntryDraft, AuditFilter, AuditHead, AuditStore } from '../../services/audit/audit-entry.ts';
import { auditEntryHash } from '../../services/audit/audit-hash.ts';
import type { AuditLogTable, Database } from './database.ts';
import { inTransaction } from './in-transaction.ts';

/**
 * `AuditStore` on the `audit_log` and `audit_head` tables. An append locks the single head row
 * (`select … for update`), so concurrent appends take turns: each reads the seq and hash the
 * previous one left, and one that rolls back leaves the head as it was, hence no gaps. Inside
 * a caller's transaction the append joins it, and the head stays locked until that commits.
 */
export class KyselyAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  append(draft: AuditEntryDraft): Promise<AuditEntry> {
    return inTransaction(this.db, async (trx) => {
      const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
      const chained = { ...draft, seq: head.seq + 1, prevHash: head.hash };
      const entry: AuditEntry = { ...chained, hash: auditEntryHash(chained) };
      await trx.insertInto('audit_log').values(auditRowOf(entry)).execute();
      await trx.updateTable('audit_head').set({ seq: entry.seq, hash: entry.hash }).where('id', '=', 1).execute();
      return entry;
    });
  }

  /**
   * `filter.action` ending in '.' matches by prefix; `starts_with` rather than a range, since
   * the column's collation is not code point order, or LIKE, which would need escaping.
   */
  async list(filter: AuditFilter, page: { readonly beforeSeq?: number | undefined; readonly limit: number }): Promise<AuditEntry[]> {
    if (page.limit <= 0) return [];
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filter.project !== undefined) query = query.where('project', '=', filter.project);
    if (filter.actorName !== undefined) query = query.where('actor_name', '=', filter.actorName);
    if (filter.action !== undefined)
      query = filter.action.endsWith('.')
        ? query.where(sql<boolean>`starts_with(action, ${filter.action})`)
        : query.where('action', '=', filter.action);
    if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('at', '<', filter.until);
    if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
    const rows = await query.orderBy('seq', 'desc').limit(page.limit).execute();
    return rows.map(toEntry);
  }

  async scan(afterSeq: number, limit: number, untilSeq?: number): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    let query = this.db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq);
    if (untilSeq !== undefined) query = query.where('seq', '<=', untilSeq);
    const rows = await query.orderBy('seq').limit(limit).execute();
    return rows.map(toEntry);
  }

  head(): Promise<AuditHead> {
    return this.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  }
}

/** The `audit_log` row of an entry. */
export function auditRowOf(entry: AuditEntry): AuditLogTable {
  return {
    seq: entry.seq,
    at: entry.at,
    actor_id: entry.actorId,
    actor_name: entry.actorName,
    credential: entry.credential,
    action: entry.action,
    project: entry.project,
    target: entry.target,
    inputs: entry.inputs,
    outcome: entry.outcome,
    error_code: entry.errorCode,
    result: entry.result,
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    credential: row.credential,
    action: row.action,
    project: row.project,
    target: row.target,
    inputs: row.inputs,
    outcome: row.outcome,
    errorCode: row.error_code,
    result: row.result,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
