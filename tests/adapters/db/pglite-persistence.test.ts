import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createVersionStore } from '../../../adapters/db/kysely-version-store.ts';
import { migrateToLatest } from '../../../adapters/db/migrate.ts';
import { openDatabase } from '../../../adapters/db/open-database.ts';
import type { ProjectName } from '../../../core/ids.ts';

let dataDir = '';

test.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sheaf-pglite-'));
});
test.after(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

test('a PGlite database under dataDir keeps its rows across close and reopen', async () => {
  const first = await openDatabase({ dataDir: join(dataDir, 'db') });
  assert.is(first.dialect, 'pglite');
  assert.equal(await migrateToLatest(first.db), ['0001_initial', '0002_access_control', '0003_lineage', '0004_streams', '0005_jobs', '0006_transforms', '0007_labeling']);
  const created = await createVersionStore(first.db).refs.createProject('kept' as ProjectName);
  await first.close();

  const second = await openDatabase({ dataDir: join(dataDir, 'db') });
  try {
    assert.equal(await migrateToLatest(second.db), []);
    assert.equal(await createVersionStore(second.db).refs.getProject('kept' as ProjectName), created);
  } finally {
    await second.close();
  }
});

test('an in-memory PGlite database starts empty every time', async () => {
  for (let round = 0; round < 2; round++) {
    const opened = await openDatabase({ memory: true, dataDir: join(dataDir, 'ignored') });
    try {
      assert.equal(await migrateToLatest(opened.db), ['0001_initial', '0002_access_control', '0003_lineage', '0004_streams', '0005_jobs', '0006_transforms', '0007_labeling']);
      assert.is(await createVersionStore(opened.db).refs.getProject('kept' as ProjectName), null);
      await createVersionStore(opened.db).refs.createProject('kept' as ProjectName);
    } finally {
      await opened.close();
    }
  }
});

test('closing a database that never ran a query still shuts PGlite down', async () => {
  const opened = await openDatabase({ memory: true });
  await opened.close();
});

test.run();
