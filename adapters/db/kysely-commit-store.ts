import type { Kysely, Selectable } from 'kysely';
import { canonicalJson, type JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { CommitId, SnapshotHash } from '../../core/ids.ts';
import type { Commit } from '../../core/model.ts';
import type { CommitStore } from '../../core/ports.ts';
import { chunks } from './chunks.ts';
import type { CommitsTable, Database } from './database.ts';

const KEYS_PER_QUERY = 1000;

/** `CommitStore` on the `commits` table. Commits are immutable: a second put of an id is a no-op. */
export class KyselyCommitStore implements CommitStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * @throws InvalidInputError when `time` is not the millisecond ISO form ("…T03:04:05.678Z"):
   * the column keeps the instant, and a commit must read back exactly as it was hashed.
   */
  async put(commit: Commit): Promise<void> {
    const time = new Date(commit.time);
    if (Number.isNaN(time.getTime()) || time.toISOString() !== commit.time)
      throw new InvalidInputError('commit time', `${JSON.stringify(commit.time)} is not an ISO 8601 UTC time with milliseconds`);
    await this.db
      .insertInto('commits')
      .values({
        id: commit.id,
        snapshot: commit.snapshot,
        parents: [...commit.parents],
        author: commit.author,
        message: commit.message,
        time,
        meta: canonicalJson(commit.meta, 'commit meta'),
        generation: commit.generation,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  /** Commits found among `ids`; missing ones are absent from the map. */
  async getMany(ids: readonly CommitId[]): Promise<Map<CommitId, Commit>> {
    const found = new Map<CommitId, Commit>();
    for (const batch of chunks([...new Set(ids)], KEYS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('commits')
        .selectAll()
        .where((eb) => eb('id', '=', eb.fn.any(eb.val(batch))))
        .execute();
      for (const row of rows) found.set(row.id as CommitId, toCommit(row));
    }
    return found;
  }
}

function toCommit(row: Selectable<CommitsTable>): Commit {
  return {
    id: row.id as CommitId,
    snapshot: row.snapshot as SnapshotHash,
    parents: row.parents as CommitId[],
    author: row.author,
    message: row.message,
    time: new Date(row.time).toISOString(),
    meta: JSON.parse(row.meta) as JsonObject,
    generation: row.generation,
  };
}
