import type { Kysely } from 'kysely';
import type { BlobHash } from '../../core/ids.ts';
import type { BlobCatalog } from '../../core/ports.ts';
import { chunks } from './chunks.ts';
import type { Database } from './database.ts';

const KEYS_PER_QUERY = 1000;
const ROWS_PER_INSERT = 1000;

/** `BlobCatalog` on the `blobs` table: size and media type of each stored blob. */
export class KyselyBlobCatalog implements BlobCatalog {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records blobs; recording a known hash again changes nothing, except that a media type
   * learned later fills one that was unknown. (A hash fixes the bytes, hence the size.)
   */
  async record(blobs: readonly { hash: BlobHash; size: number; mediaType?: string | null }[]): Promise<void> {
    // One row per hash: PostgreSQL refuses to update the same row twice in one statement.
    const byHash = new Map<BlobHash, { hash: BlobHash; size: number; media_type: string | null }>();
    for (const blob of blobs) {
      const mediaType = blob.mediaType ?? byHash.get(blob.hash)?.media_type ?? null;
      byHash.set(blob.hash, { hash: blob.hash, size: blob.size, media_type: mediaType });
    }
    for (const batch of chunks([...byHash.values()], ROWS_PER_INSERT)) {
      await this.db
        .insertInto('blobs')
        .values(batch)
        .onConflict((oc) =>
          oc
            .column('hash')
            .doUpdateSet((eb) => ({ media_type: eb.ref('excluded.media_type') }))
            .where('blobs.media_type', 'is', null)
            .where('excluded.media_type', 'is not', null),
        )
        .execute();
    }
  }

  /** Sizes of the recorded blobs among `hashes`; unknown ones are absent from the map. */
  async sizes(hashes: readonly BlobHash[]): Promise<Map<BlobHash, number>> {
    const found = new Map<BlobHash, number>();
    for (const batch of chunks([...new Set(hashes)], KEYS_PER_QUERY)) {
      const rows = await this.db
        .selectFrom('blobs')
        .select(['hash', 'size'])
        .where((eb) => eb('hash', '=', eb.fn.any(eb.val(batch))))
        .execute();
      for (const row of rows) found.set(row.hash as BlobHash, row.size);
    }
    return found;
  }
}
