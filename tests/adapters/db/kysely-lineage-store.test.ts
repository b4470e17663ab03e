import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KyselyLineageStore } from '../../../adapters/db/kysely-lineage-store.ts';
import { NotFoundError } from '../../../core/errors.ts';
import type { LineageDirection, LineageKind } from '../../../core/lineage/lineage-edge.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../helpers/databases.ts';

for (const kind of databaseKinds) {
  const test = suite(`lineage store on ${kind}`);
  let database: TestDatabase;
  let store: KyselyLineageStore;

  const edge = (project: string, edgeKind: LineageKind, source: string, target: string | null, details = '{}') =>
    store.append({ project, kind: edgeKind, source, target, actorId: 'u1', actorName: 'ana', credential: 'token:t1', details });
  const walk = async (hash: string, direction: LineageDirection, kinds?: LineageKind[], project = 'p') =>
    (await store.walk({ project, hash, direction, kinds, limit: 100 })).map((e) => `${e.source}>${e.target ?? '-'}:${e.kind}`);

  test.before(async () => {
    database = await openTestDatabase(kind);
    store = new KyselyLineageStore(database.db);
    for (const name of ['p', 'q']) await database.db.insertInto('projects').values({ id: randomUUID(), name }).execute();
    // S0 -derived-> S1 -derived-> S2 -trained-> M -deployed-> D; reads of S1 and S2; a run that
    // read S2 and trained M2 (beyond a read: not followed); a cycle X <-> Y; q's own edge on S1.
    await edge('p', 'derived_from', 'S0', 'S1');
    await edge('p', 'derived_from', 'S1', 'S2');
    await edge('p', 'read', 'S1', null, '{"via":"tar"}');
    await edge('p', 'trained_on', 'S2', 'M');
    await edge('p', 'read', 'S2', 'run-1');
    await edge('p', 'trained_on', 'run-1', 'M2');
    await edge('p', 'deployed_as', 'M', 'D');
    await edge('p', 'derived_from', 'X', 'Y');
    await edge('p', 'derived_from', 'Y', 'X');
    await edge('q', 'derived_from', 'S1', 'Q');
  });

  test.after(async () => {
    await database?.close();
  });

  test('append numbers edges and keeps what was recorded; an unknown project is NOT_FOUND', async () => {
    const a = await edge('p', 'read', 'Z', null, '{"via":"manifest"}');
    const b = await edge('p', 'read', 'Z', null);
    assert.ok(b.seq > a.seq);
    assert.match(a.id, /^[0-9a-f-]{36}$/);
    assert.instance(a.at, Date);
    const [listed] = await store.walk({ project: 'p', hash: 'Z', direction: 'downstream', limit: 1 });
    assert.equal(listed, a);
    try {
      await edge('nope', 'read', 'Z', null);
      assert.unreachable('appended to a project that does not exist');
    } catch (error) {
      assert.instance(error, NotFoundError);
    }
  });

  test('downstream walks follow targets recursively, stopping at read edges', async () => {
    assert.equal(await walk('S0', 'downstream'), ['S0>S1:derived_from', 'S1>S2:derived_from', 'S1>-:read', 'S2>M:trained_on', 'S2>run-1:read', 'M>D:deployed_as']);
    assert.equal(await walk('S2', 'downstream'), ['S2>M:trained_on', 'S2>run-1:read', 'M>D:deployed_as']);
    assert.equal(await walk('D', 'downstream'), []);
  });

  test('upstream walks follow sources recursively; a read edge starts a walk but is never entered', async () => {
    assert.equal(await walk('D', 'upstream'), ['S0>S1:derived_from', 'S1>S2:derived_from', 'S2>M:trained_on', 'M>D:deployed_as']);
    assert.equal(await walk('run-1', 'upstream'), ['S0>S1:derived_from', 'S1>S2:derived_from', 'S2>run-1:read']);
    assert.equal(await walk('S1', 'both'), ['S0>S1:derived_from', 'S1>S2:derived_from', 'S1>-:read', 'S2>M:trained_on', 'S2>run-1:read', 'M>D:deployed_as']);
  });

  test('kinds restrict what is listed and followed; cycles end; projects do not mix', async () => {
    assert.equal(await walk('S0', 'downstream', ['derived_from']), ['S0>S1:derived_from', 'S1>S2:derived_from']);
    assert.equal(await walk('S2', 'downstream', ['read']), ['S2>run-1:read']);
    assert.equal(await walk('X', 'both'), ['X>Y:derived_from', 'Y>X:derived_from']);
    assert.equal(await walk('S1', 'downstream', undefined, 'q'), ['S1>Q:derived_from']);
    assert.equal(await walk('S1', 'downstream', undefined, 'nope'), []);
  });

  test('pages by seq', async () => {
    const all = await store.walk({ project: 'p', hash: 'S0', direction: 'downstream', limit: 100 });
    const first = await store.walk({ project: 'p', hash: 'S0', direction: 'downstream', limit: 4 });
    const rest = await store.walk({ project: 'p', hash: 'S0', direction: 'downstream', limit: 4, afterSeq: first[first.length - 1]!.seq });
    assert.equal([...first, ...rest], all);
  });

  test.run();
}
