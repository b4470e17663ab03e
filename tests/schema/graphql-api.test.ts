import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const test = suite('GraphQL API over HTTP');
let api: TestServer;
const blobs: Record<string, string> = {};

const STAGE = `mutation($dataset: String!, $branch: String!, $changes: [ItemChangeInput!]!) {
  stageItems(project: "default", dataset: $dataset, branch: $branch, changes: $changes) {
    __typename ... on StageResult { count } ... on Error { code message } } }`;
const COMMIT = `mutation($dataset: String!, $branch: String!, $message: String!, $expectedHead: String) {
  commit(project: "default", dataset: $dataset, branch: $branch, message: $message, expectedHead: $expectedHead) {
    __typename ... on CommitResult { created commit { id snapshot { hash itemCount totalBytes } } } ... on Error { code message } } }`;

async function stageAndCommit(dataset: string, branch: string, changes: unknown[], message = 'm') {
  const staged = await api.gql(STAGE, { dataset, branch, changes });
  assert.is(staged.data.stageItems.__typename, 'StageResult', JSON.stringify(staged));
  const committed = await api.gql(COMMIT, { dataset, branch, message });
  assert.is(committed.data.commit.__typename, 'CommitResult', JSON.stringify(committed));
  return committed.data.commit.commit;
}

test.before(async () => {
  api = await startTestServer();
  for (const name of ['a', 'b', 'c', 'd']) blobs[name] = await api.upload(`content ${name}\n`.repeat(10));
});
test.after(async () => api.close());

test('create datasets; duplicates and bad names are typed errors; lists page with cursors', async () => {
  const create = (name: string) =>
    api.gql(`mutation($n: String!) { createDataset(project: "default", name: $n) {
      __typename ... on Dataset { name project } ... on Error { code message } ... on AlreadyExistsError { kind } } }`, { n: name });
  assert.equal((await create('cats')).data.createDataset, { __typename: 'Dataset', name: 'cats', project: 'default' });
  for (const name of ['dogs', 'birds', 'fish']) await create(name);
  const dup = (await create('cats')).data.createDataset;
  assert.equal([dup.__typename, dup.code, dup.kind], ['AlreadyExistsError', 'ALREADY_EXISTS', 'dataset']);
  const bad = (await create('no spaces')).data.createDataset;
  assert.equal([bad.__typename, bad.code], ['InvalidInputError', 'INVALID_NAME']);

  const page = (after: string | null) =>
    api.gql(`query($after: String) { project(name: "default") { ... on Project {
      datasets(first: 2, after: $after) { edges { node { name } cursor } pageInfo { hasNextPage endCursor } } } } }`, { after });
  const first = (await page(null)).data.project.datasets;
  assert.equal(first.edges.map((e: any) => e.node.name), ['birds', 'cats']);
  assert.ok(first.pageInfo.hasNextPage);
  const second = (await page(first.pageInfo.endCursor)).data.project.datasets;
  assert.equal(second.edges.map((e: any) => e.node.name), ['dogs', 'fish']);
  assert.not.ok(second.pageInfo.hasNextPage);
});

test('stage, commit, read items, snapshot totals, staged view of a branch', async () => {
  const commit = await stageAndCommit('cats', 'main', [
    { path: 'img/1.jpg', blob: blobs.a, annotations: { label: 'cat' }, meta: { camera: 3 } },
    { path: 'img/2.jpg', blob: blobs.b },
    { path: 'txt/notes', blob: blobs.c },
  ]);
  assert.is(commit.snapshot.itemCount, 3);
  assert.is(commit.snapshot.totalBytes, 3 * 100);
  await api.gql(STAGE, { dataset: 'cats', branch: 'main', changes: [{ path: 'img/2.jpg', delete: true }] });
  const view = await api.gql(`{ dataset(project: "default", name: "cats") { ... on Dataset {
    items(ref: "main", prefix: "img/") { edges { node { path blob size meta annotations } } }
    committed: items(ref: "${commit.id}") { edges { node { path } } }
    branch(name: "main") { staged { edges { node { path deleted } } } }
    item(path: "img/1.jpg") { annotations } } } }`);
  const ds = view.data.dataset;
  assert.equal(ds.items.edges.map((e: any) => e.node.path), ['img/1.jpg'], 'the staged delete hides img/2.jpg');
  assert.equal(ds.items.edges[0].node.meta, { camera: 3 });
  assert.equal(ds.committed.edges.map((e: any) => e.node.path), ['img/1.jpg', 'img/2.jpg', 'txt/notes']);
  assert.equal(ds.branch.staged.edges[0].node, { path: 'img/2.jpg', deleted: true });
  assert.equal(ds.item.annotations, { label: 'cat' });
  await api.gql(COMMIT, { dataset: 'cats', branch: 'main', message: 'drop 2' });

  const snap = await api.gql(`query($h: String!) { snapshot(project: "default", hash: $h) { __typename ... on Snapshot { itemCount items(prefix: "txt/") { edges { node { path } } } } } }`, {
    h: commit.snapshot.hash,
  });
  assert.is(snap.data.snapshot.itemCount, 3, 'time travel: the old snapshot still has 3 items');
  assert.equal(snap.data.snapshot.items.edges[0].node.path, 'txt/notes');
});

test('bad item input is rejected whole with a typed error', async () => {
  const bad = await api.gql(STAGE, { dataset: 'cats', branch: 'main', changes: [{ path: 'ok', blob: blobs.a }, { path: '../escape', blob: blobs.a }] });
  assert.equal([bad.data.stageItems.__typename, bad.data.stageItems.code], ['InvalidInputError', 'INVALID_PATH']);
  const unknown = await api.gql(STAGE, { dataset: 'cats', branch: 'main', changes: [{ path: 'x', blob: 'f'.repeat(64) }] });
  assert.equal([unknown.data.stageItems.__typename, unknown.data.stageItems.code], ['NotFoundError', 'NOT_FOUND']);
  const malformed = await api.gql(STAGE, { dataset: 'cats', branch: 'main', changes: [{ path: 'x', blob: 'xyz' }] });
  assert.is(malformed.data.stageItems.code, 'INVALID_HASH');
  const staged = await api.gql(`{ dataset(project: "default", name: "cats") { ... on Dataset { branch(name: "main") { staged { edges { node { path } } } } } } }`);
  assert.equal(staged.data.dataset.branch.staged.edges, [], 'nothing was staged');
  const hash = await api.gql(`{ snapshot(project: "default", hash: "abc") { __typename ... on Error { code } } }`);
  assert.equal(hash.data.snapshot, { __typename: 'InvalidInputError', code: 'INVALID_HASH' });
  const missing = await api.gql(`{ snapshot(project: "default", hash: "${'e'.repeat(64)}") { __typename ... on Error { code } } }`);
  assert.equal(missing.data.snapshot, { __typename: 'NotFoundError', code: 'NOT_FOUND' });
});

test('errors in nested fields keep their code; unexpected ones would be masked', async () => {
  const result = await api.gql(`{ dataset(project: "default", name: "cats") { ... on Dataset { items(ref: "no-such-branch") { edges { node { path } } } } } }`);
  assert.is(result.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  assert.match(result.errors![0]!.message, /no-such-branch/);
  const backwards = await api.gql(`{ projects(last: 2) { edges { node { name } } } }`);
  assert.is(backwards.errors?.[0]?.extensions?.code, 'INVALID_INPUT');
  const overPage = await api.gql(`{ projects(first: 1000) { edges { node { name } } } }`);
  assert.is(overPage.errors?.[0]?.extensions?.code, 'INVALID_INPUT');
  // Far past a page, the cost limit refuses the query before it runs.
  const huge = await api.gql(`{ projects(first: 100000) { edges { node { name } } } }`);
  assert.is(huge.errors?.[0]?.extensions?.code, 'QUERY_TOO_COSTLY');
});

test('log pages through history with Relay cursors; parents load', async () => {
  const log = async (after: string | null) =>
    (await api.gql(`query($after: String) { dataset(project: "default", name: "cats") { ... on Dataset {
      log(ref: "main", first: 2, after: $after) { edges { node { message parents { id } } } pageInfo { hasNextPage endCursor } } } } }`, { after })).data
      .dataset.log;
  const first = await log(null);
  assert.equal(first.edges.map((e: any) => e.node.message), ['drop 2', 'm']);
  const second = await log(first.pageInfo.endCursor);
  assert.equal(second.edges.map((e: any) => e.node.message), ['Create dataset cats']);
  assert.equal(second.edges[0].node.parents, []);
  assert.not.ok(second.pageInfo.hasNextPage);
});

test('clone is O(1) and storage stats show what it saved; diff pages by path', async () => {
  const clone = await api.gql(`mutation { cloneDataset(project: "default", source: "cats", ref: "main", name: "cats2") {
    __typename ... on Dataset { origin { snapshot { hash } } } } }`);
  assert.is(clone.data.cloneDataset.__typename, 'Dataset');
  const stats = await api.gql(`{ project(name: "default") { ... on Project { storage { logicalBytes uniqueBytes savedBytes } } } }`);
  const storage = stats.data.project.storage;
  assert.is(storage.logicalBytes, 2 * storage.uniqueBytes, 'two datasets share one snapshot');
  assert.is(storage.savedBytes, storage.uniqueBytes);

  await stageAndCommit('cats2', 'main', [1, 2, 3, 4, 5].map((i) => ({ path: `new/${i}`, blob: blobs.d })));
  const diff = async (after: string | null) =>
    (await api.gql(`query($after: String) { diff(project: "default", from: "cats@main", to: "cats2@main", first: 2, after: $after) {
      edges { node { path kind } } pageInfo { hasNextPage endCursor } } }`, { after })).data.diff;
  const paths: string[] = [];
  for (let page = await diff(null); ; page = await diff(page.pageInfo.endCursor)) {
    paths.push(...page.edges.map((e: any) => `${e.node.kind} ${e.node.path}`));
    if (!page.pageInfo.hasNextPage) break;
  }
  assert.equal(paths, ['ADDED new/1', 'ADDED new/2', 'ADDED new/3', 'ADDED new/4', 'ADDED new/5']);
});

test('merge: conflicts are listed item by item; strategies settle them', async () => {
  await api.gql(`mutation { createBranch(project: "default", dataset: "cats", name: "feature", from: "main") { __typename } }`);
  await stageAndCommit('cats', 'main', [{ path: 'img/1.jpg', blob: blobs.b }]);
  await stageAndCommit('cats', 'feature', [{ path: 'img/1.jpg', blob: blobs.c }, { path: 'img/9.jpg', blob: blobs.d }]);
  const MERGE = `mutation($strategy: MergeStrategy) { merge(project: "default", dataset: "cats", from: "feature", into: "main", strategy: $strategy) {
    __typename ... on MergeResult { created resolvedPaths commit { snapshot { itemCount } } }
    ... on MergeConflictError { code conflicts { path base { blob } ours { blob } theirs { blob } } } } }`;
  const conflict = (await api.gql(MERGE)).data.merge;
  assert.is(conflict.__typename, 'MergeConflictError');
  assert.equal(conflict.conflicts, [{ path: 'img/1.jpg', base: { blob: blobs.a }, ours: { blob: blobs.b }, theirs: { blob: blobs.c } }]);
  const merged = (await api.gql(MERGE, { strategy: 'theirs' })).data.merge;
  assert.equal([merged.__typename, merged.created, merged.resolvedPaths], ['MergeResult', true, ['img/1.jpg']]);
  const item = await api.gql(`{ dataset(project: "default", name: "cats") { ... on Dataset { item(path: "img/1.jpg") { blob } } } }`);
  assert.is(item.data.dataset.item.blob, blobs.c);
});

test('racing commits with the same expected head: exactly one wins, the other gets RefConflictError', async () => {
  await api.gql(STAGE, { dataset: 'dogs', branch: 'main', changes: [{ path: 'a', blob: blobs.a }] });
  const head = (await api.gql(`{ dataset(project: "default", name: "dogs") { ... on Dataset { branch(name: "main") { head { id } } } } }`)).data.dataset.branch.head.id;
  const results = await Promise.all(
    [1, 2].map((n) => api.gql(COMMIT, { dataset: 'dogs', branch: 'main', message: `racer ${n}`, expectedHead: head })),
  );
  const kinds = results.map((r) => r.data.commit.__typename).sort();
  assert.equal(kinds, ['CommitResult', 'RefConflictError']);
});

test('limits: query depth, request size, and a body without a length', async () => {
  let nested = 'id';
  for (let i = 0; i < 20; i++) nested = `parents { ${nested} }`;
  const deep = await api.gql(`{ dataset(project: "default", name: "cats") { ... on Dataset { branch(name: "main") { head { ${nested} } } } } }`);
  assert.ok(deep.errors?.length, 'a query deeper than the limit is refused');
  assert.match(deep.errors![0]!.message, /depth/i);
  const big = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ projects { edges { node { name } } } }`, padding: 'x'.repeat(9 * 1024 * 1024) }),
  });
  assert.is(big.status, 413);
  const chunked = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('{"query":"{ projects { edges { node { name } } } }"}')), c.close()) }),
    duplex: 'half',
  } as RequestInit);
  assert.is(chunked.status, 411);
});

test.run();
