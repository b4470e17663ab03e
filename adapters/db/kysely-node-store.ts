import type { Kysely } from 'kysely';
import type { NodeHash } from '../../core/ids.ts';
import type { NodeStore } from '../../core/ports.ts';
import { chunks } from './chunks.ts';
import type { Database } from './database.ts';

const KEYS_PER_QUERY = 1000;
// 500 rows of a few KiB per statement was the fastest batch on both databases; the byte cap keeps
// a batch of unusually large nodes bounded in memory.
const ROWS_PER_INSERT = 500;
const BYTES_PER_INSERT = 8 * 1024 * 1024;

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

/**
 * `NodeStore` on the `tree_nodes` table: one row per content-addressed node. Node bytes are
 * canonical JSON (valid UTF-8), stored as text; the reader re-hashes what comes back.
 */
export class KyselyNodeStore implements NodeStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Looks hashes up in batches; missing ones are absent from the map. */
  async getMany(hashes: readonly NodeHash[]): Promise<Map<NodeHash, Uint8Array>> {
    const found = new Map<NodeHash, Uint8Array>();
    // Batches run concurrently: on PostgreSQL they use several pooled connections.
    const batches = [...chunks([...new Set(hashes)], KEYS_PER_QUERY)].map((batch) =>
      this.db
        .selectFrom('tree_nodes')
        .select(['hash', 'data'])
        .where((eb) => eb('hash', '=', eb.fn.any(eb.val(batch))))
        .execute(),
    );
    for (const rows of await Promise.all(batches)) {
      for (const row of rows) {
        const bytes = Buffer.from(row.data, 'utf8');
        found.set(row.hash as NodeHash, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
    }
    return found;
  }

  /**
   * Multi-row inserts of the nodes not stored yet. Re-putting existing nodes is common (the same
   * content always gives the same nodes), so each batch first asks which hashes exist and only
   * sends the bytes of the others; `on conflict do nothing` covers a concurrent writer.
   */
  async putMany(nodes: readonly { hash: NodeHash; bytes: Uint8Array }[]): Promise<void> {
    const unique = [...new Map(nodes.map((node) => [node.hash, node])).values()];
    for (const batch of chunks(unique, ROWS_PER_INSERT, (node) => node.bytes.byteLength, BYTES_PER_INSERT)) {
      const stored = await this.db
        .selectFrom('tree_nodes')
        .select('hash')
        .where((eb) => eb('hash', '=', eb.fn.any(eb.val(batch.map((node) => node.hash)))))
        .execute();
      const known = new Set(stored.map((row) => row.hash));
      const missing = batch.filter((node) => !known.has(node.hash));
      if (missing.length === 0) continue;
      await this.db
        .insertInto('tree_nodes')
        .values(missing.map((node) => ({ hash: node.hash, data: utf8(node.bytes) })))
        .onConflict((oc) => oc.column('hash').doNothing())
        .execute();
    }
  }
}
