import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KyselyLineageStore } from '../../../adapters/db/kysely-lineage-store.ts';
import { ForbiddenError, InvalidInputError, InvalidPathError, NotFoundError } from '../../../core/errors.ts';
import { SCOPES, type Actor } from '../../../services/actor.ts';
import { DatasetService } from '../../../services/dataset-service.ts';
import { LabelImportRejectedError } from '../../../services/interchange/import-rejected-error.ts';
import { LabelInterchange } from '../../../services/interchange/label-interchange.ts';
import { LineageService } from '../../../services/lineage/lineage-service.ts';
import { ProvisionService } from '../../../services/provision/provision-service.ts';
import { databaseKinds, openTestDatabase, type DatabaseKind, type TestDatabase } from '../../helpers/databases.ts';
import { serviceStack } from '../../helpers/service-stack.ts';
import { ownerOfProject } from '../../server/http/http-fixture.ts';
import { entriesOf } from '../../server/http/tar-client.ts';
import { jsonListFormat } from './json-list-format.ts';
import { chunked, tarOf, type TestEntry } from './tar-fixture.ts';

const PROJECT = 'vision';
const OTHER = 'elsewhere';

/** A valid json-list tree: two images with boxes, meta with their sizes. */
function goodTree(extra: Partial<{ classes: string[]; items: unknown[] }> = {}): TestEntry[] {
  const labels = {
    classes: ['cat', 'dog'],
    items: [
      { path: 'images/a.jpg', media: 'images/a.jpg', meta: { width: 100, height: 80 }, boxes: [[0, 1, 2, 30, 40], [1, 50, 10, 20, 20]] },
      { path: 'images/b.jpg', media: 'images/b.jpg', meta: { width: 64, height: 64 }, boxes: [] },
    ],
    ...extra,
  };
  return [
    { name: 'images/a.jpg', content: 'pixels of a' },
    { name: 'images/b.jpg', content: 'pixels of b' },
    { name: 'labels.json', content: JSON.stringify(labels) },
  ];
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

function interchangeSuite(kind: DatabaseKind) {
  const test = suite(`label import and export on ${kind}`);
  let database: TestDatabase;
  let dir: string;
  let owner: Actor;
  let viewer: Actor;
  let stranger: Actor;
  let datasets: DatasetService;
  let lineage: KyselyLineageStore;
  let interchange: LabelInterchange;

  const at = (dataset: string) => ({ project: PROJECT, dataset });
  const importTree = async (entries: readonly TestEntry[], dataset = 'pets', actor: Actor = owner, branch = 'main') =>
    interchange.importLabels(actor, { project: PROJECT, dataset, branch, format: 'json-list', source: 'pets-dir' }, chunked(await tarOf(entries)));
  const head = async (dataset = 'pets') => (await datasets.getBranch(owner, at(dataset), 'main')).head;

  test.before(async () => {
    database = await openTestDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'sheaf-interchange-'));
    const stack = serviceStack(database, { dir });
    const { audit, access, grants, engine, blobs } = stack;
    datasets = stack.datasets;
    lineage = new KyselyLineageStore(database.db);
    const lineageService = new LineageService({ store: lineage, access, grants });
    const provision = new ProvisionService({ engine, access, grants, blobs, lineage: lineageService });
    interchange = new LabelInterchange({
      datasets,
      blobs,
      access,
      audit,
      provision,
      lineage: lineageService,
      tempRoot: join(dir, 'spool'),
      maxBytes: 1 << 20,
      maxImagePixels: 1e6,
      formats: (name) => {
        if (name === jsonListFormat.name) return jsonListFormat;
        throw new InvalidInputError('format', `${JSON.stringify(name)} is not a known format`);
      },
    });
    owner = await ownerOfProject(database, PROJECT);
    stranger = await ownerOfProject(database, OTHER);
    viewer = { ...owner, userId: randomUUID(), name: 'viewer', credential: { kind: 'token', id: 'viewer' }, scopes: new Set(SCOPES) };
    await database.db.insertInto('users').values({ id: viewer.userId!, name: 'viewer' }).execute();
    const projectId = (await database.db.selectFrom('projects').select('id').where('name', '=', PROJECT).executeTakeFirstOrThrow()).id;
    await database.db.insertInto('memberships').values({ project_id: projectId, user_id: viewer.userId!, role: 'viewer' }).execute();
    await datasets.createDataset(owner, at('pets'));
  });

  test.after(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('imports a tree as one commit with its message, meta, items and annotations', async () => {
    const before = await head();
    const result = await importTree(goodTree());
    assert.equal({ items: result.items, annotations: result.annotations, created: result.created }, { items: 2, annotations: 2, created: true });
    const commit = await datasets.getCommit(owner, PROJECT, result.commit);
    assert.equal(commit.parents, [before]);
    assert.is(commit.message, 'import json-list: 2 items');
    assert.equal(commit.meta, { format: 'json-list', source: 'pets-dir' });
    assert.is(commit.snapshot, result.snapshot);
    const items = await datasets.listItems(owner, at('pets'), 'main', { limit: 10 });
    assert.equal(items.map((i) => i.path), ['images/a.jpg', 'images/b.jpg']);
    assert.equal(items[0]!.meta, { width: 100, height: 80 });
    assert.equal((items[0]!.annotations as { label: string }[]).map((a) => a.label), ['cat', 'dog']);
    assert.equal(items[1]!.annotations, []);
    // The spool directories are gone.
    assert.equal(await readdir(join(dir, 'spool')), []);
  });

  test('the same import again changes nothing', async () => {
    const before = await head();
    const again = await importTree(goodTree());
    assert.is(again.created, false);
    assert.is(again.commit, before);
  });

  test('export → import into a fresh dataset gives the same snapshot; exports are byte for byte the same', async () => {
    const snapshot = (await datasets.resolve(owner, at('pets'), 'main')).snapshot;
    const first = await interchange.exportLabels(owner, { project: PROJECT, snapshot, format: 'json-list', media: true });
    assert.equal({ items: first.items, annotations: first.annotations, classes: first.classes }, { items: 2, annotations: 2, classes: ['cat', 'dog'] });
    const tar = await collect(first.tar());
    const second = await collect((await interchange.exportLabels(owner, { project: PROJECT, snapshot, format: 'json-list', media: true })).tar());
    assert.ok(tar.equals(second), 'two exports differ');
    const entries = await entriesOf(tar);
    assert.equal(entries.map((e) => e.name), ['images/a.jpg', 'images/b.jpg', 'labels.json']);
    assert.is(entries[0]!.bytes.toString(), 'pixels of a');

    await datasets.createDataset(owner, at('copy'));
    const reimported = await interchange.importLabels(owner, { project: PROJECT, dataset: 'copy', branch: 'main', format: 'json-list' }, chunked(tar));
    assert.is(reimported.snapshot, snapshot);
    assert.equal((await datasets.getCommit(owner, PROJECT, reimported.commit)).meta, { format: 'json-list', source: 'upload' });
    assert.ok(await lineage.walk({ project: PROJECT, hash: snapshot, direction: 'both', kinds: ['read'], limit: 10 }).then((edges) => edges.length >= 2));
  });

  test('export without media holds only the annotation files', async () => {
    const snapshot = (await datasets.resolve(owner, at('pets'), 'main')).snapshot;
    const exported = await interchange.exportLabels(owner, { project: PROJECT, snapshot, format: 'json-list', media: false });
    const entries = await entriesOf(await collect(exported.tar()));
    assert.equal(entries.map((e) => e.name), ['labels.json']);
    assert.match(entries[0]!.bytes.toString(), /"media":null/);
  });

  test('a class list fixes the ids, and must hold every label', async () => {
    const snapshot = (await datasets.resolve(owner, at('pets'), 'main')).snapshot;
    const exported = await interchange.exportLabels(owner, { project: PROJECT, snapshot, format: 'json-list', media: false, classes: 'dog,cat,bird' });
    const [file] = await entriesOf(await collect(exported.tar()));
    assert.match(file!.bytes.toString(), /"boxes":\[\[1,1,2,30,40\],\[0,50,10,20,20\]\]/);
    try {
      await interchange.exportLabels(owner, { project: PROJECT, snapshot, format: 'json-list', media: false, classes: 'dog' });
      assert.unreachable('a list without cat was accepted');
    } catch (error) {
      assert.instance(error, InvalidInputError);
      assert.match((error as Error).message, /"cat"/);
    }
  });

  test('a malformed import lists every error and writes nothing, leaving staged changes alone', async () => {
    const before = await head();
    // Someone else's staged work on the branch must survive a failed import.
    const staged = await datasets.listItems(owner, at('pets'), 'main', { limit: 1 });
    await datasets.stage(owner, at('pets'), 'main', [{ path: 'notes/other.txt', blob: staged[0]!.blob }]);
    const cases: [string, TestEntry[], RegExp][] = [
      ['broken JSON', [{ name: 'labels.json', content: '{"classes": [' }], /not JSON/],
      ['unknown class id', goodTree({ items: [{ path: 'x.jpg', media: null, meta: { width: 9, height: 9 }, boxes: [[7, 0, 0, 1, 1]] }] }), /unknown class id 7/],
      ['box outside the image', goodTree({ items: [{ path: 'images/a.jpg', media: 'images/a.jpg', meta: { width: 10, height: 10 }, boxes: [[0, 5, 5, 10, 1]] }] }), /outside the image/],
      ['media missing', [{ name: 'labels.json', content: JSON.stringify({ classes: ['cat'], items: [{ path: 'gone.jpg', media: 'gone.jpg', meta: { width: 9, height: 9 }, boxes: [] }] }) }], /missing/],
      ['annotations for an item not on the branch', goodTree({ items: [{ path: 'images/zzz.jpg', media: null, meta: { width: 9, height: 9 }, boxes: [] }] }), /not on the branch/],
    ];
    for (const [name, entries, pattern] of cases) {
      try {
        await importTree(entries);
        assert.unreachable(`${name}: accepted`);
      } catch (error) {
        assert.instance(error, LabelImportRejectedError, `${name}: ${error}`);
        const errors = (error as LabelImportRejectedError).errors;
        assert.ok(errors.length > 0, name);
        assert.ok(errors.some((e) => pattern.test(e.message)), `${name}: ${JSON.stringify(errors)}`);
        assert.ok(errors.every((e) => typeof e.file === 'string' && e.file.length > 0), name);
      }
    }
    // Several errors are all reported, each with its entry.
    try {
      await importTree(goodTree({ items: [{ path: 'images/a.jpg', media: 'images/a.jpg', meta: { width: 10, height: 10 }, boxes: [[5, 0, 0, 1, 1], [0, 9, 9, 5, 5]] }] }));
      assert.unreachable('accepted');
    } catch (error) {
      assert.equal((error as LabelImportRejectedError).errors.map((e) => e.entry), ['items[0].boxes[0]', 'items[0].boxes[1]']);
    }
    assert.is(await head(), before);
    const stagedNow = await datasets.listStaged(owner, at('pets'), 'main', { limit: 10 });
    assert.equal(stagedNow.map((s) => s.path), ['notes/other.txt']);
    await datasets.unstage(owner, at('pets'), 'main', ['notes/other.txt']);
    assert.equal(await readdir(join(dir, 'spool')), []);
  });

  test('an unsafe tar is refused before any reading', async () => {
    const before = await head();
    for (const entries of [[{ name: '../up.json', content: '{}' }], [{ name: 'labels.json', type: 'symlink' as const }]]) {
      try {
        await importTree(entries);
        assert.unreachable('accepted');
      } catch (error) {
        assert.instance(error, InvalidInputError, String(error));
        assert.not.instance(error, LabelImportRejectedError);
      }
    }
    try {
      await importTree([{ name: '/abs.json', content: '{}' }]);
      assert.unreachable('accepted');
    } catch (error) {
      assert.instance(error, InvalidPathError);
    }
    assert.is(await head(), before);
  });

  test('annotation-only records relabel existing items, keeping their blobs and meta', async () => {
    const [a] = await datasets.listItems(owner, at('pets'), 'main', { limit: 1 });
    const relabel = [{ name: 'labels.json', content: JSON.stringify({ classes: ['dog'], items: [{ path: 'images/a.jpg', media: null, meta: { width: 100, height: 80, reviewed: 1 }, boxes: [[0, 0, 0, 5, 5]] }] }) }];
    const result = await importTree(relabel);
    assert.equal({ items: result.items, annotations: result.annotations }, { items: 1, annotations: 1 });
    const item = await datasets.getItem(owner, at('pets'), 'main', 'images/a.jpg');
    assert.is(item.blob, a!.blob);
    assert.equal(item.meta, { width: 100, height: 80, reviewed: 1 });
    assert.equal((item.annotations as { label: string; box: number[] }[]).map((x) => [x.label, x.box]), [['dog', [0, 0, 5, 5]]]);
  });

  test('a viewer cannot import; an unknown format or dataset is refused', async () => {
    const before = await head();
    try {
      await importTree(goodTree(), 'pets', viewer);
      assert.unreachable('a viewer imported');
    } catch (error) {
      assert.instance(error, ForbiddenError);
    }
    try {
      await interchange.importLabels(owner, { project: PROJECT, dataset: 'pets', branch: 'main', format: 'nope' }, chunked(await tarOf(goodTree())));
      assert.unreachable('an unknown format was accepted');
    } catch (error) {
      assert.instance(error, InvalidInputError);
    }
    try {
      await importTree(goodTree(), 'missing');
      assert.unreachable('imported into a missing dataset');
    } catch (error) {
      assert.instance(error, NotFoundError);
    }
    assert.is(await head(), before);
  });

  test('a viewer may export; another project cannot', async () => {
    const snapshot = (await datasets.resolve(owner, at('pets'), 'main')).snapshot;
    const exported = await interchange.exportLabels(viewer, { project: PROJECT, snapshot, format: 'json-list', media: true });
    assert.ok((await collect(exported.tar())).byteLength > 0);
    try {
      await interchange.exportLabels(stranger, { project: OTHER, snapshot, format: 'json-list', media: false });
      assert.unreachable('another project exported the snapshot');
    } catch (error) {
      assert.instance(error, NotFoundError);
    }
    try {
      await interchange.exportLabels(stranger, { project: PROJECT, snapshot, format: 'json-list', media: false });
      assert.unreachable('a non-member exported the snapshot');
    } catch (error) {
      assert.instance(error, ForbiddenError);
    }
  });

  return test;
}

for (const kind of databaseKinds) interchangeSuite(kind).run();
