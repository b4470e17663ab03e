import { sql, type Kysely, type Selectable } from 'kysely';
import { canonicalJson } from '../../core/canonical-json.ts';
import { AlreadyExistsError, NotFoundError } from '../../core/errors.ts';
import type { StreamConfig } from '../../services/ingest/stream-config.ts';
import type {
  CounterChange,
  DeadLetter,
  SeenMessage,
  StreamRecord,
  StreamStatus,
  StreamStore,
  TakenMessage,
} from '../../services/ingest/stream-store.ts';
import { chunks } from './chunks.ts';
import type { Database, StreamsTable } from './database.ts';
import { inTransaction } from './in-transaction.ts';
import { sqlErrorOf, UNIQUE_VIOLATION } from './sql-state.ts';

// Rows per statement: well under PostgreSQL's 65,535 bind parameters.
const ROWS = 1000;

type StreamRow = Selectable<StreamsTable> & { project: string; owner_name: string | null };

/** `StreamStore` on the `streams`, `stream_messages` and `stream_dead_letters` tables. */
export class KyselyStreamStore implements StreamStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { id: string; project: string; name: string; config: StreamConfig; clientId: string; ownerId: string }): Promise<StreamRecord> {
    try {
      const inserted = await sql<{ id: string }>`
        insert into streams (id, project_id, name, config, status, client_id, created_by)
        select ${input.id}, p.id, ${input.name}, ${canonicalJson(input.config)}, 'active', ${input.clientId}, ${input.ownerId}
        from projects p where p.name = ${input.project}
        returning id`.execute(this.db);
      if (inserted.rows.length === 0) throw new NotFoundError('project', input.project);
    } catch (error) {
      if (sqlErrorOf(error).code === UNIQUE_VIOLATION) throw new AlreadyExistsError('stream', input.name);
      throw error;
    }
    return (await this.getById(input.id))!;
  }

  async get(project: string, name: string): Promise<StreamRecord | null> {
    const row = await this.select().where('projects.name', '=', project).where('streams.name', '=', name).executeTakeFirst();
    return row ? recordOf(row) : null;
  }

  async getById(id: string): Promise<StreamRecord | null> {
    const row = await this.select().where('streams.id', '=', id).executeTakeFirst();
    return row ? recordOf(row) : null;
  }

  async list(project: string, page: { after?: string | undefined; limit: number }): Promise<StreamRecord[]> {
    let query = this.select().where('projects.name', '=', project);
    if (page.after !== undefined) query = query.where('streams.name', '>', page.after);
    return (await query.orderBy('streams.name').limit(page.limit).execute()).map(recordOf);
  }

  async listActive(): Promise<StreamRecord[]> {
    return (await this.select().where('streams.status', '=', 'active').orderBy('streams.created_at').execute()).map(recordOf);
  }

  async setStatus(id: string, status: StreamStatus, error: string | null): Promise<void> {
    await this.db.updateTable('streams').set({ status, error }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.db.deleteFrom('streams').where('id', '=', id).executeTakeFirst();
    return deleted.numDeletedRows > 0n;
  }

  async seen(streamId: string, keys: readonly string[]): Promise<Map<string, SeenMessage>> {
    const found = new Map<string, SeenMessage>();
    for (const batch of chunks([...new Set(keys)], ROWS)) {
      const rows = await this.db
        .selectFrom('stream_messages')
        .select(['key', 'state', 'path'])
        .where('stream_id', '=', streamId)
        .where((eb) => eb('key', '=', eb.fn.any(eb.val(batch))))
        .execute();
      for (const row of rows) found.set(row.key, { state: row.state, path: row.path });
    }
    return found;
  }

  async allocateSeq(streamId: string, count: number): Promise<number> {
    const row = await this.db
      .updateTable('streams')
      .set((eb) => ({ next_seq: eb('next_seq', '+', count) }))
      .where('id', '=', streamId)
      .returning('next_seq')
      .executeTakeFirstOrThrow();
    return row.next_seq - count;
  }

  async recordTaken(streamId: string, taken: readonly TakenMessage[], deadLetters: readonly Omit<DeadLetter, 'seq'>[], counters: CounterChange): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      for (const batch of chunks(taken, ROWS))
        await trx
          .insertInto('stream_messages')
          .values(batch.map((m) => ({ stream_id: streamId, key: m.key, state: m.state, path: m.path, received_at: m.receivedAt })))
          .onConflict((oc) => oc.columns(['stream_id', 'key']).doNothing())
          .execute();
      for (const batch of chunks(deadLetters, ROWS))
        await trx
          .insertInto('stream_dead_letters')
          .values(
            batch.map((d) => ({
              stream_id: streamId,
              received_at: d.receivedAt,
              topic: d.topic,
              reason: d.reason,
              payload_sha256: d.payloadSha256,
              payload_size: d.payloadSize,
              head_hex: d.headHex,
            })),
          )
          .execute();
      await addCounters(trx, streamId, counters);
    });
  }

  async markStaged(streamId: string, keys: readonly string[], at: Date, counters: CounterChange): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      for (const batch of chunks([...new Set(keys)], ROWS))
        await trx
          .updateTable('stream_messages')
          .set({ state: 'staged', staged_at: at })
          .where('stream_id', '=', streamId)
          .where((eb) => eb('key', '=', eb.fn.any(eb.val(batch))))
          .execute();
      await addCounters(trx, streamId, counters);
    });
  }

  async addCounters(streamId: string, counters: CounterChange): Promise<void> {
    await addCounters(this.db, streamId, counters);
  }

  async markCommitted(streamId: string, commit: string | null, at: Date): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx
        .updateTable('stream_messages')
        .set({ committed: true })
        .where('stream_id', '=', streamId)
        .where('state', '=', 'staged')
        .where('committed', '=', false)
        .execute();
      if (commit !== null) await trx.updateTable('streams').set({ last_commit: commit, last_commit_at: at }).where('id', '=', streamId).execute();
    });
  }

  async pending(streamId: string): Promise<{ count: number; oldest: Date | null }> {
    const row = await this.db
      .selectFrom('stream_messages')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('staged_at').as('oldest')])
      .where('stream_id', '=', streamId)
      .where('state', '=', 'staged')
      .where('committed', '=', false)
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), oldest: row.oldest === null ? null : new Date(row.oldest) };
  }

  async forget(streamId: string, before: Date): Promise<number> {
    const deleted = await this.db
      .deleteFrom('stream_messages')
      .where('stream_id', '=', streamId)
      .where('received_at', '<', before)
      .where((eb) => eb.or([eb('state', 'in', ['dropped', 'dead']), eb.and([eb('state', '=', 'staged'), eb('committed', '=', true)])]))
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }

  async deadLetters(streamId: string, page: { after?: number | undefined; limit: number }): Promise<DeadLetter[]> {
    let query = this.db.selectFrom('stream_dead_letters').selectAll().where('stream_id', '=', streamId);
    if (page.after !== undefined) query = query.where('seq', '>', page.after);
    const rows = await query.orderBy('seq').limit(page.limit).execute();
    return rows.map((r) => ({
      seq: r.seq,
      receivedAt: r.received_at,
      topic: r.topic,
      reason: r.reason,
      payloadSha256: r.payload_sha256,
      payloadSize: r.payload_size,
      headHex: r.head_hex,
    }));
  }

  private select() {
    return this.db
      .selectFrom('streams')
      .innerJoin('projects', 'projects.id', 'streams.project_id')
      .leftJoin('users', 'users.id', 'streams.created_by')
      .selectAll('streams')
      .select(['projects.name as project', 'users.name as owner_name']);
  }
}

async function addCounters(db: Kysely<Database>, streamId: string, counters: CounterChange): Promise<void> {
  const change = {
    messages: counters.messages ?? 0,
    staged: counters.staged ?? 0,
    dropped: counters.dropped ?? 0,
    duplicates: counters.duplicates ?? 0,
    dead_letters: counters.deadLetters ?? 0,
  };
  if (Object.values(change).every((n) => n === 0)) return;
  await db
    .updateTable('streams')
    .set((eb) => ({
      messages: eb('messages', '+', change.messages),
      staged: eb('staged', '+', change.staged),
      dropped: eb('dropped', '+', change.dropped),
      duplicates: eb('duplicates', '+', change.duplicates),
      dead_letters: eb('dead_letters', '+', change.dead_letters),
    }))
    .where('id', '=', streamId)
    .execute();
}

function recordOf(row: StreamRow): StreamRecord {
  return {
    id: row.id,
    project: row.project,
    name: row.name,
    config: JSON.parse(row.config) as StreamConfig,
    status: row.status,
    error: row.error,
    clientId: row.client_id,
    owner: row.created_by !== null && row.owner_name !== null ? { id: row.created_by, name: row.owner_name } : null,
    createdAt: row.created_at,
    counters: { messages: row.messages, staged: row.staged, dropped: row.dropped, duplicates: row.duplicates, deadLetters: row.dead_letters },
    lastCommit: row.last_commit,
    lastCommitAt: row.last_commit_at,
  };
}
