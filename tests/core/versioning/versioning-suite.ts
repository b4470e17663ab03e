import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'kysely';
import {
  AlreadyExistsError,
  CorruptObjectError,
  InvalidHashError,
  InvalidInputError,
  InvalidPathError,
  MergeConflictError,
  NotFoundError,
  NothingToCommitError,
  RefConflictError,
} from '../../../core/errors.ts';
import { parseBranchName, parseDatasetName, parseProjectName, parseTagName, type BlobHash } from '../../../core/ids.ts';
import type { ItemPath } from '../../../core/item-path.ts';
import { EMPTY_SNAPSHOT } from '../../../core/prolly/node-codec.ts';
import { commitStaged } from '../../../core/versioning/commit-staged.ts';
import { Versioning } from '../../../core/versioning/versioning.ts';
import { openTestDatabase, type DatabaseKind, type TestDatabase } from '../../helpers/databases.ts';
import { fakeBlob } from '../../helpers/tree-fixtures.ts';

const project = parseProjectName('acme');
const ds = (name: string) => ({ project, dataset: parseDatasetName(name) });
const main = parseBranchName('main');
const author = 'ada@example.com';

/** Rejects with an error of `type` (and optional code), or fails the test. */
async function rejects<T>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T, check?: (e: T) => void) {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, type, `expected ${type.name}, got ${(error as Error).message}`);
    check?.(error as T);
    return;
  }
  assert.unreachable(`expected ${type.name}`);
}

export function versioningSuite(kind: DatabaseKind) {
  const test = suite(`versioning engine on ${kind}`);
  let database: TestDatabase;
  let engine: Versioning;
  let tick = Date.parse('2026-01-01T00:00:00.000Z');
  const blobs = new Map<string, BlobHash>();

  /** A blob known to the catalog, one per name. */
  const blob = (name: string) => blobs.get(name)!;
  const put = (path: string, name: string, annotations: unknown = null) => ({ path, blob: blob(name), annotations });
  const paths = async (dataset: string, at: string, prefix?: string) =>
    (await engine.listItems(ds(dataset), at, { limit: 1000, prefix })).map((i) => i.path);
  const count = async (table: string) =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n);

  test.before(async () => {
    database = await openTestDatabase(kind);
    engine = new Versioning({ store: database.store, clock: { now: () => new Date((tick += 1000)) } });
    for (const name of ['a', 'b', 'c', 'd', 'e', 'x', 'y']) blobs.set(name, fakeBlob(name));
    await database.store.blobs.record([...blobs.values()].map((hash, i) => ({ hash, size: 10 * (i + 1) })));
    await engine.createProject(project);
  });
  test.after(async () => database.close());

  test('create dataset: main branch on an empty first commit; duplicates and unknown projects fail', async () => {
    const { dataset, branch, commit } = await engine.createDataset(ds('cats'), author);
    assert.is(dataset.name, 'cats');
    assert.is(branch.name, 'main');
    assert.is(commit.snapshot, EMPTY_SNAPSHOT);
    assert.equal(commit.parents, []);
    await rejects(engine.createDataset(ds('cats'), author), AlreadyExistsError, (e) => assert.is(e.code, 'ALREADY_EXISTS'));
    await rejects(engine.createDataset({ project: parseProjectName('nobody'), dataset: parseDatasetName('x') }, author), NotFoundError);
    await rejects(engine.getDataset(ds('dogs')), NotFoundError, (e) => assert.is(e.data.kind, 'dataset'));
  });

  test('staging is read through with the tree, and commit folds it in', async () => {
    await engine.stage(ds('cats'), main, [put('img/1.jpg', 'a', { label: 'cat' }), put('img/2.jpg', 'b'), put('txt/readme', 'c')]);
    assert.equal(await paths('cats', 'main'), ['img/1.jpg', 'img/2.jpg', 'txt/readme']);
    assert.equal(await paths('cats', 'main', 'img/'), ['img/1.jpg', 'img/2.jpg']);
    const staged = await engine.getItem(ds('cats'), 'main', 'img/1.jpg' as ItemPath);
    assert.equal(staged.annotations, { label: 'cat' });
    assert.is(staged.size, 10);
    const { commit, created } = await engine.commit(ds('cats'), main, { author, message: 'first images' });
    assert.ok(created);
    assert.is((await engine.snapshotTotals(commit.snapshot)).count, 3);
    assert.is((await engine.snapshotTotals(commit.snapshot)).bytes, 60);
    assert.equal(await engine.listStaged(ds('cats'), main, { limit: 10 }), []);
    // Staged deletes hide committed items; staged puts replace them.
    await engine.stage(ds('cats'), main, [{ path: 'img/2.jpg', delete: true }, put('img/1.jpg', 'd')]);
    assert.equal(await paths('cats', 'main'), ['img/1.jpg', 'txt/readme']);
    assert.is((await engine.getItem(ds('cats'), 'main', 'img/1.jpg' as ItemPath)).blob, blob('d'));
    await rejects(engine.getItem(ds('cats'), 'main', 'img/2.jpg' as ItemPath), NotFoundError);
    // The committed snapshot itself is unchanged by staging.
    assert.equal(await paths('cats', commit.id), ['img/1.jpg', 'img/2.jpg', 'txt/readme']);
    const second = await engine.commit(ds('cats'), main, { author, message: 'replace and delete' });
    const log = await engine.log(ds('cats'), 'main', { limit: 10 });
    assert.equal(log.commits.map((c) => c.message), ['replace and delete', 'first images', 'Create dataset cats']);
    assert.equal(second.commit.parents, [commit.id]);
  });

  test('time travel: any commit or snapshot hash reads as it was', async () => {
    const log = await engine.log(ds('cats'), 'main', { limit: 10 });
    const first = log.commits[1]!;
    assert.equal(await paths('cats', first.id), ['img/1.jpg', 'img/2.jpg', 'txt/readme']);
    assert.equal(await paths('cats', first.snapshot), ['img/1.jpg', 'img/2.jpg', 'txt/readme']);
    assert.equal((await engine.listSnapshot(first.snapshot, { limit: 10 })).length, 3);
    assert.is((await engine.getItem(ds('cats'), first.id, 'img/1.jpg' as ItemPath)).blob, blob('a'));
    const page1 = await engine.log(ds('cats'), 'main', { limit: 1 });
    const page2 = await engine.log(ds('cats'), 'main', { limit: 5, after: page1.commits[0]!.id });
    assert.ok(page1.hasMore);
    assert.equal(page2.commits.map((c) => c.message), ['first images', 'Create dataset cats']);
  });

  test('bad input is rejected with a typed error and stages nothing', async () => {
    const bad = ['', '/abs', 'a/../b', '../x', 'a//b', 'a/./b', 'nul\u0000x', 'ctl\u0007', 'x'.repeat(1025), 'back\\slash', 'trail/'];
    for (const path of bad) await rejects(engine.stage(ds('cats'), main, [put('ok.jpg', 'a'), put(path, 'a')]), InvalidPathError);
    await rejects(engine.stage(ds('cats'), main, [{ path: 'z.jpg', blob: 'ABC' }]), InvalidHashError);
    await rejects(engine.stage(ds('cats'), main, [{ path: 'z.jpg', blob: fakeBlob('never uploaded') }]), NotFoundError, (e) =>
      assert.is(e.data.kind, 'blob'),
    );
    await rejects(engine.stage(ds('cats'), main, [put('z.jpg', 'a'), put('z.jpg', 'b')]), InvalidInputError);
    await rejects(engine.stage(ds('cats'), main, [{ path: 'z.jpg', blob: blob('a'), meta: { n: Number.NaN } }]), InvalidInputError);
    await rejects(engine.stage(ds('cats'), main, [{ path: 'z.jpg', blob: blob('a'), meta: [1] }]), InvalidInputError);
    await rejects(engine.stage(ds('cats'), parseBranchName('nope'), [put('z.jpg', 'a')]), NotFoundError);
    assert.equal(await engine.listStaged(ds('cats'), main, { limit: 10 }), []);
    await rejects(engine.commit(ds('cats'), main, { author, message: 'empty' }), NothingToCommitError);
    await rejects(engine.commit(ds('cats'), main, { author: '', message: 'x' }), InvalidInputError);
    await rejects(engine.resolve(ds('cats'), 'f'.repeat(64)), NotFoundError);
    await rejects(engine.resolve(ds('cats'), 'F'.repeat(64)), InvalidHashError);
    await rejects(engine.resolve(ds('cats'), 'abc123'.repeat(8)), InvalidHashError);
    await rejects(engine.resolve(ds('cats'), 'no-such-branch'), NotFoundError);
    await rejects(engine.snapshotTotals(fakeBlob('no such snapshot') as never), NotFoundError);
    await rejects(engine.listItems(ds('cats'), 'main', { limit: 0 }), InvalidInputError);
  });

  test('a commit that lost the race gets RefConflict and keeps its staged changes', async () => {
    await engine.createDataset(ds('race'), author);
    await engine.stage(ds('race'), main, [put('a', 'a')]);
    const stale = await engine.getBranch(ds('race'), main);
    await engine.commit(ds('race'), main, { author, message: 'winner' });
    await engine.stage(ds('race'), main, [put('b', 'b')]);
    // The stale writer built its tree on the old head: the compare-and-swap must refuse it.
    await rejects(commitStaged(engine.ctx, stale, { author, message: 'loser' }), RefConflictError, (e) => assert.is(e.code, 'REF_CONFLICT'));
    assert.equal((await engine.listStaged(ds('race'), main, { limit: 10 })).map((c) => c.path), ['b']);
    assert.equal((await engine.log(ds('race'), 'main', { limit: 10 })).commits.map((c) => c.message), ['winner', 'Create dataset race']);
  });

  test('concurrent commits on one branch: exactly one wins, nothing is lost', async () => {
    await engine.stage(ds('race'), main, [put('c', 'c'), put('d', 'd')]);
    const head = (await engine.getBranch(ds('race'), main)).head;
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) => engine.commit(ds('race'), main, { author, message: `racer ${n}`, expectedHead: head })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.is(won.length, 1);
    for (const r of results) if (r.status === 'rejected') assert.instance(r.reason, RefConflictError, String(r.reason?.stack ?? r.reason).slice(0, 1500));
    assert.equal(await paths('race', 'main'), ['a', 'b', 'c', 'd']);
    assert.equal(await engine.listStaged(ds('race'), main, { limit: 10 }), []);
  });

  test('clone is O(1): no node rows and no blobs copied; edits to the clone leave the source alone', async () => {
    const source = await engine.getBranch(ds('cats'), main);
    const nodesBefore = await count('tree_nodes');
    const { dataset, commit } = await engine.cloneDataset({ ref: ds('cats'), at: 'main' }, ds('cats-copy'), author);
    assert.is(await count('tree_nodes'), nodesBefore);
    assert.is(commit.snapshot, (await engine.getCommit(source.head)).snapshot);
    assert.is(dataset.origin?.snapshot, commit.snapshot);
    await engine.stage(ds('cats-copy'), main, [put('img/3.jpg', 'e'), { path: 'txt/readme', delete: true }]);
    await engine.commit(ds('cats-copy'), main, { author, message: 'edit clone' });
    assert.equal(await paths('cats-copy', 'main'), ['img/1.jpg', 'img/3.jpg']);
    assert.equal(await paths('cats', 'main'), ['img/1.jpg', 'txt/readme']);
    // Clone from a bare snapshot hash too.
    const fromHash = await engine.cloneDataset({ ref: ds('cats'), at: commit.snapshot }, ds('cats-snap'), author);
    assert.is(fromHash.commit.snapshot, commit.snapshot);
    await rejects(engine.cloneDataset({ ref: ds('cats'), at: 'main' }, ds('cats-copy'), author), AlreadyExistsError);
  });

  test('branches and tags: from any ref, duplicates rejected, delete drops staging', async () => {
    const first = (await engine.log(ds('cats'), 'main', { limit: 10 })).commits[1]!;
    const old = await engine.createBranch(ds('cats'), parseBranchName('old'), first.id, author);
    assert.is(old.head, first.id);
    const fromSnapshot = await engine.createBranch(ds('cats'), parseBranchName('snap/x'), first.snapshot, author);
    assert.is((await engine.getCommit(fromSnapshot.head)).snapshot, first.snapshot);
    await rejects(engine.createBranch(ds('cats'), parseBranchName('old'), 'main', author), AlreadyExistsError);
    await rejects(engine.createBranch(ds('cats'), parseBranchName('new'), 'missing', author), NotFoundError);
    const tag = await engine.createTag(ds('cats'), parseTagName('v1'), 'old', author);
    assert.is(tag.commit, first.id);
    assert.equal(await paths('cats', 'v1'), ['img/1.jpg', 'img/2.jpg', 'txt/readme']);
    await rejects(engine.createTag(ds('cats'), parseTagName('v1'), 'main', author), AlreadyExistsError);
    assert.equal((await engine.listBranches(ds('cats'), { limit: 10 })).map((b) => b.name), ['main', 'old', 'snap/x']);
    assert.equal((await engine.listBranches(ds('cats'), { limit: 10, after: 'main' })).map((b) => b.name), ['old', 'snap/x']);
    await engine.stage(ds('cats'), parseBranchName('snap/x'), [put('tmp', 'a')]);
    await engine.deleteBranch(ds('cats'), parseBranchName('snap/x'));
    await rejects(engine.getBranch(ds('cats'), parseBranchName('snap/x')), NotFoundError);
    assert.is(await count('staging'), 0);
  });

  test('diff between refs lists added, removed and modified items', async () => {
    const a = await engine.resolve(ds('cats'), 'v1');
    const b = await engine.resolve(ds('cats-copy'), 'main');
    const changes = await engine.diff(a.snapshot, b.snapshot);
    const kinds = changes.map((c) => `${c.before ? (c.after ? 'M' : 'D') : 'A'} ${c.path}`);
    assert.equal(kinds, ['M img/1.jpg', 'D img/2.jpg', 'A img/3.jpg', 'D txt/readme']);
  });

  test('merge: clean, conflicting (fail, ours, theirs), same change on both sides, already merged', async () => {
    await engine.createDataset(ds('m'), author);
    await engine.stage(ds('m'), main, [put('p/1', 'a'), put('p/2', 'a'), put('p/3', 'a'), put('p/4', 'a')]);
    await engine.commit(ds('m'), main, { author, message: 'base' });
    const feature = parseBranchName('feature');
    await engine.createBranch(ds('m'), feature, 'main', author);
    await engine.stage(ds('m'), main, [put('p/1', 'b'), put('p/3', 'c'), { path: 'p/4', delete: true }]);
    await engine.commit(ds('m'), main, { author, message: 'ours' });
    await engine.stage(ds('m'), feature, [put('p/2', 'b'), put('p/3', 'd'), put('p/4', 'e'), put('p/5', 'x')]);
    await engine.commit(ds('m'), feature, { author, message: 'theirs' });
    const mainBefore = (await engine.getBranch(ds('m'), main)).head;

    await rejects(engine.merge(ds('m'), feature, main, { author }), MergeConflictError, (e) => {
      assert.equal(
        e.data.conflicts.map((c) => c.path),
        ['p/3', 'p/4'],
      );
      const p3 = e.data.conflicts[0]!;
      assert.is((p3.base as { blob: string }).blob, blob('a'));
      assert.is((p3.ours as { blob: string }).blob, blob('c'));
      assert.is((p3.theirs as { blob: string }).blob, blob('d'));
      assert.is(e.data.conflicts[1]!.ours, null, 'deleted on our side');
      assert.is(e.data.total, 2);
    });
    assert.is((await engine.getBranch(ds('m'), main)).head, mainBefore, 'a failed merge moves nothing');

    const ours = await engine.createBranch(ds('m'), parseBranchName('try-ours'), 'main', author);
    const byOurs = await engine.merge(ds('m'), feature, ours.name, { author, strategy: 'ours' });
    assert.is(byOurs.resolved.length, 2);
    assert.is(byOurs.resolvedCount, 2);
    const items = async (at: string) =>
      Object.fromEntries((await engine.listItems(ds('m'), at, { limit: 100 })).map((i) => [i.path, [...blobs].find(([, h]) => h === i.blob)![0]]));
    assert.equal(await items('try-ours'), { 'p/1': 'b', 'p/2': 'b', 'p/3': 'c', 'p/5': 'x' });
    assert.equal(byOurs.commit.parents, [ours.head, (await engine.getBranch(ds('m'), feature)).head]);

    const theirs = await engine.createBranch(ds('m'), parseBranchName('try-theirs'), 'main', author);
    await engine.merge(ds('m'), feature, theirs.name, { author, strategy: 'theirs' });
    assert.equal(await items('try-theirs'), { 'p/1': 'b', 'p/2': 'b', 'p/3': 'd', 'p/4': 'e', 'p/5': 'x' });

    const again = await engine.merge(ds('m'), feature, parseBranchName('try-theirs'), { author });
    assert.not.ok(again.created, 'merging an already merged branch is a no-op');

    // The same change on both sides is not a conflict.
    const left = await engine.createBranch(ds('m'), parseBranchName('left'), 'main', author);
    const right = await engine.createBranch(ds('m'), parseBranchName('right'), 'main', author);
    await engine.stage(ds('m'), left.name, [put('p/9', 'y')]);
    await engine.commit(ds('m'), left.name, { author, message: 'l' });
    await engine.stage(ds('m'), right.name, [put('p/9', 'y'), put('p/8', 'y')]);
    await engine.commit(ds('m'), right.name, { author, message: 'r' });
    const clean = await engine.merge(ds('m'), right.name, left.name, { author });
    assert.ok(clean.created);
    assert.equal(clean.resolved, []);
    assert.equal(await paths('m', 'left', 'p/8'), ['p/8']);
  });

  test('a merge with more conflicts than can be listed lists the first 1,000 and counts them all', async () => {
    await engine.createDataset(ds('many'), author);
    const paths1200 = Array.from({ length: 1200 }, (_, i) => `c/${String(i).padStart(4, '0')}`);
    await engine.stage(ds('many'), main, paths1200.map((p) => put(p, 'a')));
    await engine.commit(ds('many'), main, { author, message: 'base' });
    const side = parseBranchName('side');
    await engine.createBranch(ds('many'), side, 'main', author);
    await engine.stage(ds('many'), main, paths1200.map((p) => put(p, 'b')));
    await engine.commit(ds('many'), main, { author, message: 'ours' });
    await engine.stage(ds('many'), side, paths1200.map((p) => put(p, 'c')));
    await engine.commit(ds('many'), side, { author, message: 'theirs' });
    await rejects(engine.merge(ds('many'), side, main, { author }), MergeConflictError, (e) => {
      assert.is(e.data.total, 1200);
      assert.is(e.data.conflicts.length, 1000);
      assert.is(e.data.conflicts[999]!.path, 'c/0999');
    });
    const settled = await engine.merge(ds('many'), side, main, { author, strategy: 'theirs' });
    assert.equal([settled.resolved.length, settled.resolvedCount], [1000, 1200]);
  });

  test('the same items reached by different histories have the same snapshot hash', async () => {
    await engine.createDataset(ds('hist'), author);
    const other = await engine.createBranch(ds('hist'), parseBranchName('other'), 'main', author);
    await engine.stage(ds('hist'), main, [put('a', 'a'), put('b', 'b'), put('c', 'c')]);
    await engine.commit(ds('hist'), main, { author, message: 'all at once' });
    for (const [change, msg] of [[put('c', 'x'), '1'], [put('a', 'a'), '2'], [put('c', 'c'), '3'], [put('b', 'b'), '4']] as const) {
      await engine.stage(ds('hist'), other.name, [change]);
      await engine.commit(ds('hist'), other.name, { author, message: msg });
    }
    const [x, y] = [await engine.resolve(ds('hist'), 'main'), await engine.resolve(ds('hist'), 'other')];
    assert.is(x.snapshot, y.snapshot);
    assert.is.not(x.commit!.id, y.commit!.id);
  });

  test('staging that changes nothing makes no commit', async () => {
    const before = (await engine.getBranch(ds('hist'), main)).head;
    await engine.stage(ds('hist'), main, [put('a', 'a'), { path: 'zzz', delete: true }]);
    const result = await engine.commit(ds('hist'), main, { author, message: 'noop' });
    assert.not.ok(result.created);
    assert.is(result.commit.id, before);
    assert.equal(await engine.listStaged(ds('hist'), main, { limit: 10 }), []);
  });

  test('a tampered node in the database is detected on read, not served', async () => {
    const head = await engine.resolve(ds('hist'), 'main');
    await sql`update tree_nodes set data = replace(data, '"a"', '"q"') where hash = ${head.snapshot}`.execute(
      database.db,
    );
    const fresh = new Versioning({ store: database.store });
    await rejects(fresh.listItems(ds('hist'), 'main', { limit: 10 }), CorruptObjectError);
  });

  test('concurrent stage calls and commits never lose a staged change', async () => {
    await engine.createDataset(ds('busy'), author);
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 5; i++) {
          await engine.stage(ds('busy'), main, [put(`w${w}/${i}`, 'a')]);
          try {
            await engine.commit(ds('busy'), main, { author, message: `w${w} ${i}` });
          } catch (error) {
            if (!(error instanceof RefConflictError) && !(error instanceof NothingToCommitError)) throw error;
          }
        }
      })(),
    );
    await Promise.all(writers);
    const leftover = await engine.listStaged(ds('busy'), main, { limit: 100 });
    if (leftover.length) await engine.commit(ds('busy'), main, { author, message: 'rest' });
    assert.is((await paths('busy', 'main')).length, 40);
  });

  test('fast-forward publishes a private branch by compare-and-swap; writers never mix', async () => {
    await engine.createDataset(ds('ff'), author);
    const start = (await engine.getBranch(ds('ff'), main)).head;
    // Two writers each stage on a private branch from the same head.
    for (const [name, paths] of [['push/a', ['a1', 'a2']], ['push/b', ['b1']]] as const) {
      await engine.createBranch(ds('ff'), parseBranchName(name), start, author);
      await engine.stage(ds('ff'), parseBranchName(name), paths.map((p) => put(p, 'a')));
    }
    const a = await engine.commit(ds('ff'), parseBranchName('push/a'), { author, message: 'a' });
    const b = await engine.commit(ds('ff'), parseBranchName('push/b'), { author, message: 'b' });
    const published = await engine.fastForward(ds('ff'), main, a.commit.id, start);
    assert.is(published.head, a.commit.id);
    // The second writer built on the old head: refused, nothing of it lands on main.
    await rejects(engine.fastForward(ds('ff'), main, b.commit.id, start), RefConflictError);
    assert.equal(await paths('ff', 'main'), ['a1', 'a2']);
    // Moving to a commit that does not descend from the head would drop history: refused.
    await rejects(engine.fastForward(ds('ff'), main, b.commit.id, a.commit.id), InvalidInputError);
    await rejects(engine.fastForward(ds('ff'), main, fakeBlob('nope') as never, a.commit.id), NotFoundError);
    assert.is((await engine.getBranch(ds('ff'), main)).head, a.commit.id);
  });

  return test;
}
