import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import type {
  BlobHash,
  BranchName,
  CommitId,
  DatasetName,
  NodeHash,
  ProjectName,
  SnapshotHash,
  TagName,
} from '../../core/ids.ts';
import { comparePaths, parseItemPath, type ItemPath } from '../../core/item-path.ts';
import type { Branch, Commit, Item } from '../../core/model.ts';
import type { VersionStore } from '../../core/ports.ts';
import { openTestDatabase, type DatabaseKind, type TestDatabase } from '../helpers/databases.ts';

const hashOf = (label: string) => sha256Hex(label);
const nodeHash = (label: string) => hashOf(`node ${label}`) as NodeHash;
const blobHash = (label: string) => hashOf(`blob ${label}`) as BlobHash;
const commitId = (label: string) => hashOf(`commit ${label}`) as CommitId;

let unique = 0;
/** A name no other test in the run uses, so tests can share one database. */
const fresh = (label: string) => `${label}-${++unique}`;

function commitOf(label: string, overrides: Partial<Commit> = {}): Commit {
  return {
    id: commitId(label),
    snapshot: hashOf(`snapshot ${label}`) as SnapshotHash,
    parents: [],
    author: 'ada@example.com',
    message: `commit ${label}`,
    time: '2026-01-02T03:04:05.678Z',
    meta: {},
    generation: 1,
    ...overrides,
  };
}

function itemOf(path: string, n: number): Item {
  return {
    path: parseItemPath(path),
    blob: blobHash(String(n)),
    size: n,
    meta: { n, source: 'camera-é' },
    annotations: { labels: [{ class: 'cat', box: [1, 2, 3.5, 4] }], reviewed: n % 2 === 0 },
  };
}

const paths = (list: readonly string[]) => list.map((p) => parseItemPath(p));

/** A project, dataset, root commit and branch to stage changes on. */
async function makeBranch(store: VersionStore): Promise<Branch> {
  const project = await store.refs.createProject(fresh('project') as ProjectName);
  const dataset = await store.refs.createDataset({ projectId: project.id, name: fresh('dataset') as DatasetName, origin: null });
  const root = commitOf(fresh('root'));
  await store.commits.put(root);
  return store.refs.createBranch({ datasetId: dataset.id, name: 'main' as BranchName, head: root.id });
}

async function rejects(promise: Promise<unknown>, check: (error: unknown) => void): Promise<void> {
  try {
    await promise;
  } catch (error) {
    check(error);
    return;
  }
  assert.unreachable('expected a rejection');
}

function isAlreadyExists(kind: string) {
  return (error: unknown) => {
    assert.instance(error, AlreadyExistsError);
    assert.is((error as AlreadyExistsError).code, 'ALREADY_EXISTS');
    assert.is((error as AlreadyExistsError).data.kind, kind);
  };
}

function isNotFound(kind: string) {
  return (error: unknown) => {
    assert.instance(error, NotFoundError);
    assert.is((error as NotFoundError).code, 'NOT_FOUND');
    assert.is((error as NotFoundError).data.kind, kind);
  };
}

/** Reads every page of `list` with a small page size, to exercise `after`. */
async function allPages<T>(list: (after: string | undefined) => Promise<T[]>, keyOf: (row: T) => string): Promise<T[]> {
  const rows: T[] = [];
  for (let after: string | undefined; ; ) {
    const page = await list(after);
    rows.push(...page);
    if (page.length === 0) return rows;
    after = keyOf(page[page.length - 1]!);
  }
}

/**
 * The `VersionStore` contract (core/ports.ts), run against a fresh, migrated database of the
 * given kind. Every adapter of the port must pass it unchanged.
 */
export function versionStoreConformance(kind: DatabaseKind): void {
  const test = suite(`VersionStore on ${kind}`);
  let database: TestDatabase | undefined;
  const store = () => database!.store;

  test.before(async () => {
    database = await openTestDatabase(kind);
  });
  test.after(async () => {
    await database?.close();
  });

  test('nodes: UTF-8 bytes round-trip exactly, puts are idempotent, missing hashes are absent', async () => {
    // Node bytes are canonical JSON: any UTF-8 text, including multi-byte characters.
    const text = (s: string) => new TextEncoder().encode(s);
    const every = text(Array.from({ length: 0x24f - 0x20 }, (_, i) => String.fromCodePoint(0x20 + i)).join('') + '😀\u2028');
    const large = text(JSON.stringify({ entries: Array.from({ length: 300 }, (_, i) => ['é/' + i, i]) }));
    const nodes = [
      { hash: nodeHash(fresh('every')), bytes: every },
      { hash: nodeHash(fresh('large')), bytes: large },
      { hash: nodeHash(fresh('empty')), bytes: new Uint8Array(0) },
    ];
    await store().nodes.putMany(nodes);
    await store().nodes.putMany([...nodes, nodes[0]!]);
    const missing = nodeHash(fresh('missing'));
    const found = await store().nodes.getMany([...nodes.map((n) => n.hash), missing]);
    assert.is(found.size, 3);
    assert.not.ok(found.has(missing));
    for (const node of nodes) {
      const bytes = found.get(node.hash)!;
      assert.instance(bytes, Uint8Array);
      assert.equal(bytes, node.bytes);
    }
    assert.is((await store().nodes.getMany([])).size, 0);
  });

  test('nodes: lists longer than one statement batch', async () => {
    const nodes = Array.from({ length: 2500 }, (_, i) => ({
      hash: nodeHash(fresh(`bulk ${i}`)),
      bytes: new TextEncoder().encode(`node body ${i}`),
    }));
    await store().nodes.putMany(nodes);
    const found = await store().nodes.getMany(nodes.map((n) => n.hash));
    assert.is(found.size, nodes.length);
    assert.equal(found.get(nodes[2499]!.hash), nodes[2499]!.bytes);
  });

  test('commits: round trip keeps parents order, time, meta and generation', async () => {
    const a = commitOf(fresh('a'));
    const b = commitOf(fresh('b'));
    const merge = commitOf(fresh('merge'), {
      parents: [b.id, a.id],
      author: 'Zoë <zoe@example.com>',
      message: 'merge\n\nwith a body 😀',
      time: '2026-03-04T05:06:07.089Z',
      meta: { run: { seed: 42, params: [1, 'two', null, true] }, 'é': 'x' },
      generation: 2,
    });
    for (const commit of [a, b, merge]) await store().commits.put(commit);
    const found = await store().commits.getMany([merge.id, a.id, commitId(fresh('missing'))]);
    assert.is(found.size, 2);
    assert.equal(found.get(merge.id), merge);
    assert.equal(found.get(a.id), a);
  });

  test('commits: a second put of an id changes nothing; a non-canonical time is refused', async () => {
    const commit = commitOf(fresh('once'));
    await store().commits.put(commit);
    await store().commits.put({ ...commit, message: 'rewritten' });
    assert.is((await store().commits.getMany([commit.id])).get(commit.id)?.message, commit.message);
    await rejects(store().commits.put(commitOf(fresh('bad time'), { time: '2026-01-02T03:04:05Z' })), (error) =>
      assert.instance(error, InvalidInputError),
    );
  });

  test('blob catalog: records sizes, keeps the first record, fills a missing media type', async () => {
    const small = blobHash(fresh('small'));
    const huge = blobHash(fresh('huge'));
    await store().blobs.record([
      { hash: small, size: 12 },
      { hash: huge, size: 5_000_000_000_000, mediaType: 'video/mp4' },
      { hash: small, size: 12 },
    ]);
    await store().blobs.record([{ hash: small, size: 12, mediaType: 'image/png' }]);
    const sizes = await store().blobs.sizes([small, huge, blobHash(fresh('unknown'))]);
    assert.equal([...sizes.entries()].sort(), [
      [small, 12],
      [huge, 5_000_000_000_000],
    ].sort());
    const row = await database!.db.selectFrom('blobs').select('media_type').where('hash', '=', small).executeTakeFirst();
    assert.is(row?.media_type, 'image/png');
  });

  test('projects: create, get, duplicate, code-point-ordered keyset pages', async () => {
    const names = ['Zeta', 'alpha', 'beta', 'Alpha'].map((n) => fresh(n) as ProjectName);
    for (const name of names) {
      const project = await store().refs.createProject(name);
      assert.is(project.name, name);
      assert.instance(project.createdAt, Date);
      assert.equal(await store().refs.getProject(name), project);
    }
    assert.is(await store().refs.getProject(fresh('nobody') as ProjectName), null);
    await rejects(store().refs.createProject(names[1]!), isAlreadyExists('project'));

    const all = await store().refs.listProjects({ limit: 1000 });
    const allNames = all.map((p) => p.name);
    assert.equal(allNames, [...allNames].sort(comparePaths));
    for (const name of names) assert.ok(allNames.includes(name));
    const paged = await allPages((after) => store().refs.listProjects({ after, limit: 2 }), (p) => p.name);
    assert.equal(paged, all);
    assert.equal(await store().refs.listProjects({ limit: 0 }), []);
  });

  test('datasets: create with and without origin, get by name and id, duplicates, pages', async () => {
    const project = await store().refs.createProject(fresh('p') as ProjectName);
    const other = await store().refs.createProject(fresh('p') as ProjectName);
    const origin = { snapshot: hashOf(fresh('origin')) as SnapshotHash, commit: commitId(fresh('origin')) };
    const clone = await store().refs.createDataset({ projectId: project.id, name: 'clone' as DatasetName, origin });
    assert.equal(clone.origin, origin);
    const bare = await store().refs.createDataset({
      projectId: project.id,
      name: 'bare' as DatasetName,
      origin: { snapshot: origin.snapshot, commit: null },
    });
    assert.equal(bare.origin, { snapshot: origin.snapshot, commit: null });
    const plain = await store().refs.createDataset({ projectId: project.id, name: 'Plain' as DatasetName, origin: null });
    assert.is(plain.origin, null);
    assert.is(plain.projectId, project.id);

    assert.equal(await store().refs.getDataset(project.id, 'clone' as DatasetName), clone);
    assert.equal(await store().refs.getDatasetById(clone.id), clone);
    assert.is(await store().refs.getDataset(other.id, 'clone' as DatasetName), null);
    assert.is(await store().refs.getDatasetById(fresh('no-such-id')), null);

    await rejects(
      store().refs.createDataset({ projectId: project.id, name: 'clone' as DatasetName, origin: null }),
      isAlreadyExists('dataset'),
    );
    await store().refs.createDataset({ projectId: other.id, name: 'clone' as DatasetName, origin: null });
    await rejects(
      store().refs.createDataset({ projectId: fresh('no-such-project'), name: 'x' as DatasetName, origin: null }),
      isNotFound('project'),
    );

    const names = (await allPages((after) => store().refs.listDatasets(project.id, { after, limit: 2 }), (d) => d.name)).map(
      (d) => d.name,
    );
    assert.equal(names, ['Plain', 'bare', 'clone']);
    assert.equal(
      (await store().refs.listDatasets(project.id, { after: 'Plain', limit: 1 })).map((d) => d.name),
      ['bare'],
    );
  });

  test('branches: create, get, duplicate, unknown head, pages', async () => {
    const branch = await makeBranch(store());
    assert.is(branch.name, 'main');
    assert.equal(await store().refs.getBranch(branch.datasetId, 'main' as BranchName), branch);
    assert.is(await store().refs.getBranch(branch.datasetId, 'nope' as BranchName), null);
    await rejects(
      store().refs.createBranch({ datasetId: branch.datasetId, name: 'main' as BranchName, head: branch.head }),
      isAlreadyExists('branch'),
    );
    await rejects(
      store().refs.createBranch({ datasetId: branch.datasetId, name: 'x' as BranchName, head: commitId(fresh('absent')) }),
      isNotFound('commit'),
    );
    for (const name of ['feature/b', 'feature/a', 'Dev'])
      await store().refs.createBranch({ datasetId: branch.datasetId, name: name as BranchName, head: branch.head });
    const names = (
      await allPages((after) => store().refs.listBranches(branch.datasetId, { after, limit: 2 }), (b) => b.name)
    ).map((b) => b.name);
    assert.equal(names, ['Dev', 'feature/a', 'feature/b', 'main']);
  });

  test('branches: moveBranch is a compare-and-swap', async () => {
    const branch = await makeBranch(store());
    const next = commitOf(fresh('next'), { parents: [branch.head], generation: 2 });
    const other = commitOf(fresh('other'), { parents: [branch.head], generation: 2 });
    await store().commits.put(next);
    await store().commits.put(other);

    assert.is(await store().refs.moveBranch(branch.id, branch.head, next.id), true);
    assert.is((await store().refs.getBranch(branch.datasetId, branch.name))?.head, next.id);
    // A writer still holding the old head loses and changes nothing.
    assert.is(await store().refs.moveBranch(branch.id, branch.head, other.id), false);
    assert.is((await store().refs.getBranch(branch.datasetId, branch.name))?.head, next.id);
    assert.is(await store().refs.moveBranch(fresh('no-such-branch'), next.id, other.id), false);
    await rejects(store().refs.moveBranch(branch.id, next.id, commitId(fresh('absent'))), isNotFound('commit'));

    // Two racing writers with the same expected head: exactly one wins.
    const results = await Promise.all([
      store().refs.moveBranch(branch.id, next.id, other.id),
      store().refs.moveBranch(branch.id, next.id, branch.head),
    ]);
    assert.equal(results.filter(Boolean).length, 1);
  });

  test('branches: deleteBranch removes the branch and its staged changes', async () => {
    const branch = await makeBranch(store());
    const keep = await store().refs.createBranch({ datasetId: branch.datasetId, name: 'keep' as BranchName, head: branch.head });
    await store().staging.put(branch.id, [{ path: parseItemPath('a.png'), item: itemOf('a.png', 1) }]);
    await store().staging.put(keep.id, [{ path: parseItemPath('a.png'), item: itemOf('a.png', 1) }]);
    await store().refs.deleteBranch(branch.id);
    assert.is(await store().refs.getBranch(branch.datasetId, branch.name), null);
    assert.is(await store().staging.count(branch.id), 0);
    assert.is(await store().staging.count(keep.id), 1);
    await store().refs.deleteBranch(branch.id);
  });

  test('tags: create, get, duplicate, unknown commit, pages', async () => {
    const branch = await makeBranch(store());
    const tag = await store().refs.createTag({ datasetId: branch.datasetId, name: 'v1.0' as TagName, commit: branch.head });
    assert.is(tag.commit, branch.head);
    assert.instance(tag.createdAt, Date);
    assert.equal(await store().refs.getTag(branch.datasetId, 'v1.0' as TagName), tag);
    assert.is(await store().refs.getTag(branch.datasetId, 'v2.0' as TagName), null);
    await rejects(
      store().refs.createTag({ datasetId: branch.datasetId, name: 'v1.0' as TagName, commit: branch.head }),
      isAlreadyExists('tag'),
    );
    await rejects(
      store().refs.createTag({ datasetId: branch.datasetId, name: 'v9' as TagName, commit: commitId(fresh('absent')) }),
      isNotFound('commit'),
    );
    for (const name of ['v1.1', 'release/b', 'V0'])
      await store().refs.createTag({ datasetId: branch.datasetId, name: name as TagName, commit: branch.head });
    const names = (
      await allPages((after) => store().refs.listTags(branch.datasetId, { after, limit: 3 }), (t) => t.name)
    ).map((t) => t.name);
    assert.equal(names, ['V0', 'release/b', 'v1.0', 'v1.1']);
  });

  test('staging: put, get, upsert with a larger seq, deletions, JSON round trip', async () => {
    const branch = await makeBranch(store());
    const [a, b, c] = paths(['a.png', 'b.png', 'c.png']);
    await store().staging.put(branch.id, [
      { path: a!, item: itemOf('a.png', 1) },
      { path: b!, item: { ...itemOf('b.png', 2), meta: {}, annotations: null } },
      { path: c!, item: null },
    ]);
    const first = await store().staging.get(branch.id, [a!, b!, c!, parseItemPath('missing.png')]);
    assert.is(first.size, 3);
    assert.equal(first.get(a!)?.item, itemOf('a.png', 1));
    assert.equal(first.get(b!)?.item, { ...itemOf('b.png', 2), meta: {}, annotations: null });
    assert.is(first.get(c!)?.item, null);
    const seqs = [a!, b!, c!].map((p) => first.get(p)!.seq);
    assert.is(new Set(seqs).size, 3, 'every row gets its own seq');

    await store().staging.put(branch.id, [{ path: a!, item: null }]);
    await store().staging.put(branch.id, [{ path: c!, item: itemOf('c.png', 3) }]);
    const second = await store().staging.get(branch.id, [a!, c!]);
    assert.is(second.get(a!)?.item, null);
    assert.equal(second.get(c!)?.item, itemOf('c.png', 3));
    assert.ok(second.get(a!)!.seq > Math.max(...seqs));
    assert.ok(second.get(c!)!.seq > second.get(a!)!.seq);
    assert.is(await store().staging.count(branch.id), 3);
    assert.is(await store().staging.maxSeq(branch.id), second.get(c!)!.seq);

    // Within one put the last change of a path wins.
    await store().staging.put(branch.id, [
      { path: b!, item: itemOf('b.png', 5) },
      { path: b!, item: itemOf('b.png', 6) },
    ]);
    assert.equal((await store().staging.get(branch.id, [b!])).get(b!)?.item, itemOf('b.png', 6));
  });

  test('staging: put refuses an unknown branch and an item under another path', async () => {
    await rejects(
      store().staging.put(fresh('no-such-branch'), [{ path: parseItemPath('a'), item: itemOf('a', 1) }]),
      isNotFound('branch'),
    );
    const branch = await makeBranch(store());
    await rejects(store().staging.put(branch.id, [{ path: parseItemPath('a'), item: itemOf('b', 1) }]), (error) =>
      assert.instance(error, InvalidInputError),
    );
    assert.is(await store().staging.count(branch.id), 0);
  });

  test('staging: list is in code point order, paged by after and limit', async () => {
    const branch = await makeBranch(store());
    // U+FFFD and U+E000 sort below 😀 (U+1F600) by code point but above it by UTF-16 unit.
    const all = paths([
      'b/e.png', 'b/é.png', 'b/😀.png', 'b/\uFFFD.png', 'b/\uE000.png', 'B', 'a', 'a/b', 'a-b', 'a.b', 'Z/z', 'b/~',
    ]);
    await store().staging.put(branch.id, all.map((path, i) => ({ path, item: itemOf(path, i) })));
    const expected = [...all].sort(comparePaths);
    assert.not.equal(expected, [...all].sort(), 'the fixture must tell code point order from UTF-16 order');

    const listed = await store().staging.list(branch.id, { limit: 100 });
    assert.equal(listed.map((c) => c.path), expected);
    const paged = await allPages((after) => store().staging.list(branch.id, { after, limit: 5 }), (c) => c.path);
    assert.equal(paged.map((c) => c.path), expected);
    assert.equal(
      (await store().staging.list(branch.id, { after: 'b/\uFFFD.png', limit: 100 })).map((c) => c.path),
      expected.slice(expected.indexOf(parseItemPath('b/\uFFFD.png')) + 1),
    );
    assert.equal(await store().staging.list(branch.id, { limit: 0 }), []);
  });

  test('staging: prefix filtering treats % _ and high code points literally', async () => {
    const branch = await makeBranch(store());
    const all = paths([
      'data/100%/x', 'data/100%', 'data/100_/y', 'data/100a/z', 'data/1000', 'data0', 'dat',
      'img/😀/a', 'img/😀😀', 'img/😁', 'img/\uFFFD/b', 'img/\uFFFDx', 'img/\uFFFE',
    ]);
    await store().staging.put(branch.id, all.map((path, i) => ({ path, item: i % 3 ? itemOf(path, i) : null })));
    const under = async (prefix: string) =>
      (await store().staging.list(branch.id, { prefix, limit: 100 })).map((c) => c.path as string);
    const expect = (prefix: string) => all.filter((p) => p.startsWith(prefix)).sort(comparePaths);

    for (const prefix of ['data/100%', 'data/100_', 'data/100', 'data/', 'data', 'img/😀', 'img/\uFFFD', 'img/', '', 'zzz'])
      assert.equal(await under(prefix), expect(prefix), `prefix ${JSON.stringify(prefix)}`);
    assert.equal(await under('data/100%'), ['data/100%', 'data/100%/x']);
    assert.equal(await under('data/100_'), ['data/100_/y']);
    assert.equal(
      (await store().staging.list(branch.id, { prefix: 'data/', after: 'data/100%/x', limit: 2 })).map((c) => c.path),
      ['data/1000', 'data/100_/y'],
    );
  });

  test('staging: maxSeq bounds list, clear keeps changes written later', async () => {
    const branch = await makeBranch(store());
    assert.is(await store().staging.maxSeq(branch.id), 0);
    const [a, b, c] = paths(['a', 'b', 'c']);
    await store().staging.put(branch.id, [
      { path: a!, item: itemOf('a', 1) },
      { path: b!, item: itemOf('b', 2) },
    ]);
    const folded = await store().staging.maxSeq(branch.id);
    // Written after the committer read maxSeq: a new path and a rewrite of a folded one.
    await store().staging.put(branch.id, [{ path: c!, item: itemOf('c', 3) }]);
    await store().staging.put(branch.id, [{ path: a!, item: itemOf('a', 4) }]);

    const visible = await store().staging.list(branch.id, { maxSeq: folded, limit: 100 });
    assert.equal(visible.map((change) => change.path), ['b']);
    assert.is(await store().staging.clear(branch.id, folded), 1);
    const left = await store().staging.list(branch.id, { limit: 100 });
    assert.equal(left.map((change) => [change.path, change.item?.size]), [
      ['a', 4],
      ['c', 3],
    ]);
    assert.ok(left.every((change) => change.seq > folded));
    assert.is(await store().staging.clear(branch.id, await store().staging.maxSeq(branch.id)), 2);
    assert.is(await store().staging.count(branch.id), 0);
    assert.is(await store().staging.maxSeq(branch.id), 0);
  });

  test('staging: remove drops the given paths and counts those that were staged', async () => {
    const branch = await makeBranch(store());
    const all = paths(['x/1', 'x/2', 'x/3', 'y']);
    await store().staging.put(branch.id, all.map((path, i) => ({ path, item: itemOf(path, i) })));
    assert.is(await store().staging.remove(branch.id, paths(['x/1', 'y', 'not-staged', 'y'])), 2);
    assert.is(await store().staging.count(branch.id), 2);
    assert.equal((await store().staging.list(branch.id, { limit: 10 })).map((c) => c.path), ['x/2', 'x/3']);
    assert.is(await store().staging.remove(branch.id, []), 0);
  });

  test('staging: bulk puts larger than one statement batch', async () => {
    const branch = await makeBranch(store());
    const all: ItemPath[] = Array.from({ length: 25_000 }, (_, i) => parseItemPath(`bulk/${String(i).padStart(6, '0')}.jpg`));
    await store().staging.put(branch.id, all.map((path, i) => ({ path, item: itemOf(path, i) })));
    assert.is(await store().staging.count(branch.id), all.length);
    const got = await store().staging.get(branch.id, all);
    assert.is(got.size, all.length);
    assert.equal(got.get(all[24_999]!)?.item, itemOf(all[24_999]!, 24_999));
    const page = await store().staging.list(branch.id, { after: all[11_999], limit: 3 });
    assert.equal(page.map((c) => c.path), all.slice(12_000, 12_003));
    assert.is(await store().staging.remove(branch.id, all.slice(0, 2500)), 2500);
    assert.is(await store().staging.count(branch.id), all.length - 2500);
  });

  test('transaction: a thrown error rolls every write back and propagates', async () => {
    const projectName = fresh('rolled-back') as ProjectName;
    const node = { hash: nodeHash(fresh('rolled-back')), bytes: new Uint8Array([1, 2, 3]) };
    const branch = await makeBranch(store());
    const failure = new Error('boom');
    await rejects(
      store().transaction(async (tx) => {
        await tx.refs.createProject(projectName);
        await tx.nodes.putMany([node]);
        await tx.staging.put(branch.id, [{ path: parseItemPath('a'), item: itemOf('a', 1) }]);
        await tx.refs.deleteBranch(branch.id);
        // Nested transactions join the outer one: its failure undoes their writes too.
        await tx.transaction(async (inner) => {
          assert.is(inner, tx);
          await inner.blobs.record([{ hash: blobHash('rolled-back'), size: 1 }]);
        });
        throw failure;
      }),
      (error) => assert.is(error, failure),
    );
    assert.is(await store().refs.getProject(projectName), null);
    assert.is((await store().nodes.getMany([node.hash])).size, 0);
    assert.is((await store().blobs.sizes([blobHash('rolled-back')])).size, 0);
    assert.equal(await store().refs.getBranch(branch.datasetId, branch.name), branch);
    assert.is(await store().staging.count(branch.id), 0);
  });

  test('transaction: writes land together when the work resolves', async () => {
    const branch = await makeBranch(store());
    const next = commitOf(fresh('tx-next'), { parents: [branch.head], generation: 2 });
    const result = await store().transaction(async (tx) => {
      await tx.staging.put(branch.id, [{ path: parseItemPath('a'), item: itemOf('a', 1) }]);
      const upTo = await tx.staging.maxSeq(branch.id);
      await tx.commits.put(next);
      const moved = await tx.refs.moveBranch(branch.id, branch.head, next.id);
      const cleared = await tx.staging.clear(branch.id, upTo);
      return tx.transaction(async () => ({ moved, cleared }));
    });
    assert.equal(result, { moved: true, cleared: 1 });
    assert.is((await store().refs.getBranch(branch.datasetId, branch.name))?.head, next.id);
    assert.is(await store().staging.count(branch.id), 0);
    assert.ok((await store().commits.getMany([next.id])).has(next.id));
  });

  test('transaction: a duplicate name inside a transaction does not abort it', async () => {
    const name = fresh('dup') as ProjectName;
    await store().refs.createProject(name);
    const other = fresh('after-dup') as ProjectName;
    await store().transaction(async (tx) => {
      await rejects(tx.refs.createProject(name), isAlreadyExists('project'));
      await tx.refs.createProject(other);
    });
    assert.ok(await store().refs.getProject(other));
  });

  test.run();
}
