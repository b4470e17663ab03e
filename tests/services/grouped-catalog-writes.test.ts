import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BlobHash } from '../../core/ids.ts';
import type { BlobCatalog } from '../../core/ports.ts';
import { GroupedCatalogWrites } from '../../services/grouped-catalog-writes.ts';
import { openTestDatabase } from '../helpers/databases.ts';
import { fakeBlob } from '../helpers/tree-fixtures.ts';

const test = suite('grouped catalog writes');

test('concurrent records share statements, and every caller waits for its own row', async () => {
  const db = await openTestDatabase('pglite');
  try {
    let statements = 0;
    const counting: BlobCatalog = {
      record: async (rows) => {
        statements++;
        await db.store.blobs.record(rows);
      },
      sizes: (hashes) => db.store.blobs.sizes(hashes),
    };
    const writes = new GroupedCatalogWrites(counting);
    const hashes = Array.from({ length: 200 }, (_, i) => fakeBlob(`g${i}`));
    await Promise.all(
      hashes.map(async (hash, i) => {
        await writes.record({ hash, size: i });
        // Acknowledged means stored: the row is visible as soon as record() resolves.
        assert.is((await db.store.blobs.sizes([hash])).get(hash), i);
      }),
    );
    assert.ok(statements < 20, `${statements} statements for 200 records`);
  } finally {
    await db.close();
  }
});

test('a failed statement fails exactly the records in it, and later ones still go through', async () => {
  let fail = true;
  const seen: string[] = [];
  const writes = new GroupedCatalogWrites({
    record: async (rows) => {
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
      seen.push(...rows.map((r) => r.hash));
    },
    sizes: async () => new Map(),
  });
  const first = writes.record({ hash: 'a'.repeat(64) as BlobHash, size: 1 });
  await assert.not.throws(() => first.catch(() => {}));
  await first.then(
    () => assert.unreachable('the first batch failed'),
    (e: Error) => assert.is(e.message, 'disk full'),
  );
  await writes.record({ hash: 'b'.repeat(64) as BlobHash, size: 1 });
  assert.equal(seen, ['b'.repeat(64)]);
});

test.run();
