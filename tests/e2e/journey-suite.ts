import { createHash, randomBytes } from 'node:crypto';
import { closedPort } from '../helpers/closed-port.ts';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../cli/cli-error.ts';
import { GraphqlClient } from '../../cli/graphql-client.ts';
import { ServerConnection } from '../../cli/server-connection.ts';
import { stageAndCommit } from '../../cli/stage-and-commit.ts';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.ts';
import { runCli, type CliRun } from './run-cli.ts';

/** A directory's files by '/'-separated relative path. */
type Tree = Map<string, Buffer>;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function initialTree(): Tree {
  const tree: Tree = new Map();
  for (let i = 0; i < 12; i++) tree.set(`images/cam${i % 3}/${String(i).padStart(4, '0')}.bin`, randomBytes(200_000 + i * 1_000));
  for (let i = 0; i < 20; i++) tree.set(`labels/${i}.txt`, Buffer.from(`item ${i}: ${i % 3 ? 'ok' : 'dent'}\n`));
  tree.set('deep/a/b/c/d/e.json', Buffer.from('{"deep":true}\n'));
  tree.set('README.md', Buffer.from('# inspections\n'));
  tree.set('empty.txt', Buffer.alloc(0));
  return tree;
}

async function materialize(tree: Tree, dir: string): Promise<void> {
  for (const [path, bytes] of tree) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
}

async function readTree(dir: string, base = dir, into: Tree = new Map()): Promise<Tree> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await readTree(full, base, into);
    else into.set(relative(base, full).split('\\').join('/'), await readFile(full));
  }
  return into;
}

function assertSameTree(actual: Tree, expected: Tree): void {
  assert.equal([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [path, bytes] of expected) assert.ok(actual.get(path)?.equals(bytes), `${path} differs`);
}

function uniqueBytes(files: Iterable<Buffer>): number {
  const byHash = new Map<string, number>();
  for (const bytes of files) byHash.set(sha256(bytes), bytes.byteLength);
  return [...byHash.values()].reduce((a, b) => a + b, 0);
}

/**
 * The data engineer's journey (SCENARIOS.md, journey 1) through the real `sheaf` executable
 * against a real server started in this process on the given database.
 */
export function journeySuite(kind: 'pglite' | 'postgres') {
  const test = suite(`sheaf CLI journey on ${kind}`);
  let root: string;
  let server: RunningServer | undefined;
  let database: ScratchDatabase | undefined;
  let dirs = 0;

  const sheaf = (...args: string[]): Promise<CliRun> =>
    runCli([...args, '--server', server!.url, '--json'], { SHEAF_TOKEN: server!.bootstrapToken ?? '' });
  const newDir = () => join(root, `dir-${++dirs}`);
  async function pushTree(tree: Tree, dataset: string, branch: string, message: string): Promise<CliRun> {
    const dir = newDir();
    await materialize(tree, dir);
    return sheaf('push', dir, '--dataset', dataset, '--branch', branch, '-m', message);
  }
  function ok(run: CliRun): any {
    assert.is(run.code, 0, `exit ${run.code}: ${run.stdout.toString()} ${run.stderr}`);
    return run.json;
  }
  function failed(run: CliRun, code: string, exitCode = 1): any {
    assert.is(run.code, exitCode, `expected exit ${exitCode}, got ${run.code}: ${run.stdout.toString()} ${run.stderr}`);
    assert.is(run.json?.error?.code, code, run.stdout.toString());
    return run.json.error;
  }
  async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const response = await fetch(`${server!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server!.bootstrapToken}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown };
    assert.not.ok(body.errors, JSON.stringify(body.errors));
    return body.data;
  }
  async function missingBlobs(hashes: string[]): Promise<string[]> {
    const response = await fetch(`${server!.url}/v1/projects/default/blobs/missing`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server!.bootstrapToken}` },
      body: JSON.stringify({ hashes }),
    });
    return ((await response.json()) as { missing: string[] }).missing;
  }
  // Checked through the API rather than the CLI: the CLI's log is covered on its own, and each
  // process start costs more than the query.
  async function head(dataset: string): Promise<{ id: string; snapshot: string }> {
    const data = await gql(`query($d: String!) { dataset(project: "default", name: $d) { ... on Dataset { branch(name: "main") { head { id snapshot { hash } } } } } }`, {
      d: dataset,
    });
    const { id, snapshot } = data.dataset.branch.head;
    return { id, snapshot: snapshot.hash };
  }
  const BRANCH = { project: 'default', dataset: 'cats', branch: 'main' };
  async function stagedPaths(): Promise<string[]> {
    const data = await gql(`{ dataset(project: "default", name: "cats") { ... on Dataset { branch(name: "main") { staged(first: 10) { edges { node { path } } } } } } }`);
    return data.dataset.branch.staged.edges.map((e: { node: { path: string } }) => e.node.path);
  }

  async function privateBranches(): Promise<string[]> {
    const data = await gql(`{ dataset(project: "default", name: "cats") { ... on Dataset { branches(first: 100) { edges { node { name } } } } } }`);
    return data.dataset.branches.edges.map((e: { node: { name: string } }) => e.node.name).filter((name: string) => name.startsWith('push/'));
  }

  // Shared by the steps below, in order.
  let tree1: Tree;
  let tree2: Tree;
  let first: { commit: string; snapshot: string };
  let second: { commit: string; snapshot: string };
  let mainTree: Tree;
  let devTree: Tree;

  test.before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sheaf-e2e-'));
    if (kind === 'postgres') database = await createScratchDatabase();
    server = await startServer(loadConfig({}, { port: 0, dataDir: join(root, 'server'), databaseUrl: database?.url, logLevel: 'silent' }));
  });

  test.after(async () => {
    await server?.close();
    await database?.drop();
    await rm(root, { recursive: true, force: true });
  });

  test('create a dataset; it is listed; creating it twice is ALREADY_EXISTS', async () => {
    assert.is(ok(await sheaf('dataset', 'create', 'cats')).dataset, 'cats');
    failed(await sheaf('dataset', 'create', 'cats'), 'ALREADY_EXISTS');
    assert.equal(ok(await sheaf('dataset', 'list')).map((d: { name: string }) => d.name), ['cats']);
  });

  test('push a directory: every file added, every byte uploaded once', async () => {
    tree1 = initialTree();
    const pushed = ok(await pushTree(tree1, 'cats', 'main', 'first batch'));
    assert.equal(Object.keys(pushed).sort(), ['added', 'commit', 'modified', 'removed', 'snapshot', 'uploadedBytes']);
    assert.equal([pushed.added, pushed.modified, pushed.removed], [tree1.size, 0, 0]);
    assert.is(pushed.uploadedBytes, uniqueBytes(tree1.values()));
    assert.ok(pushed.uploadedBytes > 2_000_000);
    first = { commit: pushed.commit, snapshot: pushed.snapshot };
  });

  test('push again unchanged: nothing uploaded, no new commit', async () => {
    const again = ok(await pushTree(tree1, 'cats', 'main', 'same again'));
    assert.equal(again, { commit: first.commit, snapshot: first.snapshot, added: 0, modified: 0, removed: 0, uploadedBytes: 0 });
    assert.is(ok(await sheaf('log', 'cats')).length, 2);
  });

  test('change one file, add one, delete one: counts 1/1/1, only the new bytes are uploaded', async () => {
    tree2 = new Map(tree1);
    const changed = randomBytes(150_000);
    const added = randomBytes(90_000);
    tree2.set('images/cam1/0001.bin', changed);
    tree2.set('images/cam2/new.bin', added);
    tree2.delete('labels/7.txt');
    const pushed = ok(await pushTree(tree2, 'cats', 'main', 'second batch'));
    assert.equal([pushed.added, pushed.modified, pushed.removed], [1, 1, 1]);
    assert.is(pushed.uploadedBytes, changed.byteLength + added.byteLength);
    second = { commit: pushed.commit, snapshot: pushed.snapshot };
  });

  test('log lists the commits newest first', async () => {
    const log = ok(await sheaf('log', 'cats@main'));
    assert.equal(log.map((c: { message: string }) => c.message), ['second batch', 'first batch', 'Create dataset cats']);
    assert.equal([log[0].id, log[0].snapshot, log[0].parents], [second.commit, second.snapshot, [first.commit]]);
    assert.equal(Object.keys(log[0]).sort(), ['author', 'id', 'message', 'parents', 'snapshot', 'time']);
  });

  test('diff between the two commits, and between dataset@main and a snapshot hash', async () => {
    const [commits, refToSnapshot, unchanged] = await Promise.all([
      sheaf('diff', first.commit, second.commit),
      sheaf('diff', 'cats@main', first.snapshot),
      sheaf('diff', 'cats', second.snapshot),
    ]);
    assert.equal(ok(commits), { added: ['images/cam2/new.bin'], removed: ['labels/7.txt'], modified: ['images/cam1/0001.bin'] });
    assert.equal(ok(refToSnapshot), { added: ['labels/7.txt'], removed: ['images/cam2/new.bin'], modified: ['images/cam1/0001.bin'] });
    assert.equal(ok(unchanged), { added: [], removed: [], modified: [] });
  });

  test('clone shares the snapshot; an edit pushed to the clone leaves the original alone', async () => {
    assert.equal(ok(await sheaf('clone', 'cats', 'kittens')), { dataset: 'kittens', snapshot: second.snapshot });
    const dir = newDir();
    assert.is(ok(await sheaf('export', 'kittens', dir)).snapshot, second.snapshot);
    await writeFile(join(dir, 'README.md'), '# kittens\n');
    // The export's sheaf.json is not an item: only the edited file is a change.
    const pushed = ok(await sheaf('push', dir, '--dataset', 'kittens', '-m', 'kittens readme'));
    assert.equal([pushed.added, pushed.modified, pushed.removed, pushed.uploadedBytes], [0, 1, 0, 10]);
    const [cats, diff, original, edited] = await Promise.all([
      head('cats'),
      sheaf('diff', 'cats@main', second.snapshot),
      sheaf('cat', 'cats', 'README.md'),
      sheaf('cat', 'kittens', 'README.md'),
    ]);
    assert.is(cats.id, second.commit);
    assert.equal(ok(diff), { added: [], removed: [], modified: [] });
    assert.is(original.stdout.toString(), '# inspections\n');
    assert.is(edited.stdout.toString(), '# kittens\n');
  });

  test('branch, divergent pushes, merge without conflicts', async () => {
    assert.equal(ok(await sheaf('branch', 'cats', 'dev')), { dataset: 'cats', branch: 'dev', commit: second.commit, snapshot: second.snapshot });
    assert.is(ok(await sheaf('tag', 'cats', 'v2', 'main')).commit, second.commit);
    devTree = new Map(tree2).set('dev/only.txt', Buffer.from('from dev\n'));
    mainTree = new Map(tree2).set('labels/0.txt', Buffer.from('item 0: scratch\n'));
    const pushes = await Promise.all([pushTree(devTree, 'cats', 'dev', 'dev work'), pushTree(mainTree, 'cats', 'main', 'main work')]);
    pushes.forEach(ok);
    const merged = ok(await sheaf('merge', 'cats', 'dev', '--into', 'main'));
    assert.is(merged.created, true);
    assert.equal(merged.resolvedPaths, []);
    mainTree.set('dev/only.txt', devTree.get('dev/only.txt')!);
    const [fromDev, fromTag] = await Promise.all([sheaf('diff', 'cats@dev', 'cats@main'), sheaf('diff', 'cats@v2', 'cats@main')]);
    assert.equal(ok(fromDev), { added: [], removed: [], modified: ['labels/0.txt'] });
    assert.equal(ok(fromTag), { added: ['dev/only.txt'], removed: [], modified: ['labels/0.txt'] });
  });

  test('a conflicting change on both branches: MERGE_CONFLICT lists the path; --strategy theirs settles it', async () => {
    const base = mainTree.get('labels/1.txt')!;
    const ours = Buffer.from('item 1: main says dent\n');
    const theirs = Buffer.from('item 1: dev says scratch\n');
    const pushes = await Promise.all([
      pushTree(new Map(devTree).set('labels/1.txt', theirs), 'cats', 'dev', 'dev relabel'),
      pushTree(new Map(mainTree).set('labels/1.txt', ours), 'cats', 'main', 'main relabel'),
    ]);
    pushes.forEach(ok);
    const before = (await head('cats')).id;
    const error = failed(await sheaf('merge', 'cats', 'dev', '--into', 'main'), 'MERGE_CONFLICT');
    assert.equal(error.conflicts, [{ path: 'labels/1.txt', base: sha256(base), ours: sha256(ours), theirs: sha256(theirs) }]);
    assert.is((await head('cats')).id, before);
    const human = await runCli(['merge', 'cats', 'dev', '--into', 'main', '--server', server!.url], { SHEAF_TOKEN: server!.bootstrapToken ?? '' });
    assert.is(human.code, 1);
    assert.match(human.stderr, 'error MERGE_CONFLICT');
    assert.match(human.stderr, 'labels/1.txt');

    const settled = ok(await sheaf('merge', 'cats', 'dev', '--into', 'main', '--strategy', 'theirs'));
    assert.equal(settled.resolvedPaths, ['labels/1.txt']);
    assert.ok((await sheaf('cat', 'cats@main', 'labels/1.txt')).stdout.equals(theirs));
    mainTree.set('labels/1.txt', theirs);
  });

  test('export is byte-identical with a sheaf.json manifest; an earlier export is updated; another non-empty target is refused', async () => {
    const annotated = 'images/cam0/0000.bin';
    const staged = await gql(
      `mutation($changes: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "cats", branch: "main", changes: $changes) { __typename } }`,
      { changes: [{ path: annotated, blob: sha256(mainTree.get(annotated)!), meta: { camera: 'cam0' }, annotations: { label: 'dent', boxes: [[1, 2, 30, 40]] } }] },
    );
    assert.is(staged.stageItems.__typename, 'StageResult');
    const committed = await gql(`mutation { commit(project: "default", dataset: "cats", branch: "main", message: "label") { __typename } }`);
    assert.is(committed.commit.__typename, 'CommitResult');
    const current = await head('cats');

    const dir = newDir();
    const exported = ok(await sheaf('export', 'cats@main', dir));
    assert.equal(exported, {
      dataset: 'cats',
      ref: 'main',
      snapshot: current.snapshot,
      dir,
      items: mainTree.size,
      bytes: totalBytes(mainTree),
      written: mainTree.size,
      removed: 0,
      unchanged: 0,
      linked: 0,
      // This server does not expose blob paths: every file is downloaded.
      copied: 0,
      downloaded: mainTree.size,
      incremental: false,
    });
    const files = await readTree(dir);
    const manifest = JSON.parse(files.get('sheaf.json')!.toString());
    files.delete('sheaf.json');
    assertSameTree(files, mainTree);
    assert.equal([manifest.dataset, manifest.ref, manifest.snapshot], ['cats', 'main', current.snapshot]);
    assert.equal(manifest.items.map((i: { path: string }) => i.path), [...mainTree.keys()].sort(comparePathsForTest));
    const item = manifest.items.find((i: { path: string }) => i.path === annotated);
    assert.equal(item, {
      path: annotated,
      blob: sha256(mainTree.get(annotated)!),
      size: mainTree.get(annotated)!.byteLength,
      meta: { camera: 'cam0' },
      annotations: { label: 'dent', boxes: [[1, 2, 30, 40]] },
    });
    assert.equal(manifest.items.find((i: { path: string }) => i.path === 'README.md').annotations, null);

    // Pushing the export back is a no-op: identical bytes, and sheaf.json is not an item.
    assert.equal(ok(await sheaf('push', dir, '--dataset', 'cats', '-m', 'round trip')).uploadedBytes, 0);
    assert.is((await head('cats')).id, current.id);
    // A changed file keeps its item's meta and annotations.
    const reencoded = randomBytes(1000);
    await writeFile(join(dir, annotated), reencoded);
    assert.is(ok(await sheaf('push', dir, '--dataset', 'cats', '-m', 're-encoded')).modified, 1);
    mainTree.set(annotated, reencoded);
    const again = ok(await sheaf('export', 'cats', newDir()));
    assert.is(again.items, mainTree.size);
    const relabeled = await gql(`{ dataset(project: "default", name: "cats") { ... on Dataset { item(path: "${annotated}") { meta annotations } } } }`);
    assert.equal(relabeled.dataset.item, { meta: { camera: 'cam0' }, annotations: { label: 'dent', boxes: [[1, 2, 30, 40]] } });

    // Exporting over the earlier export writes only what changed since: the re-encoded file.
    const updated = ok(await sheaf('export', 'cats', dir));
    assert.equal([updated.written, updated.removed, updated.unchanged, updated.incremental], [1, 0, mainTree.size - 1, true]);
    const occupied = newDir();
    await mkdir(occupied, { recursive: true });
    await writeFile(join(occupied, 'notes.txt'), 'mine');
    const refused = failed(await sheaf('export', 'cats', occupied), 'DIRECTORY_NOT_EMPTY');
    assert.match(refused.message, occupied);
    const bySnapshot = newDir();
    const fromHash = ok(await sheaf('export', first.snapshot, bySnapshot, '--prefix', 'labels/'));
    assert.equal([fromHash.dataset, fromHash.items], [null, 20]);
    const labels = await readTree(bySnapshot);
    labels.delete('sheaf.json');
    assertSameTree(labels, new Map([...tree1].filter(([path]) => path.startsWith('labels/'))));
  });

  test('cat writes the exact bytes, by dataset@ref or snapshot hash', async () => {
    const path = 'images/cam2/0005.bin';
    const [byRef, byHash, empty, missing, invalid] = await Promise.all([
      sheaf('cat', 'cats@v2', path),
      sheaf('cat', first.snapshot, 'images/cam1/0001.bin'),
      sheaf('cat', 'cats', 'empty.txt'),
      sheaf('cat', 'cats', 'no/such/item'),
      sheaf('cat', 'cats', 'a/../b'),
    ]);
    assert.ok(byRef.stdout.equals(tree2.get(path)!));
    assert.ok(byHash.stdout.equals(tree1.get('images/cam1/0001.bin')!));
    assert.equal([empty.code, empty.stdout.byteLength], [0, 0]);
    failed(missing, 'NOT_FOUND');
    failed(invalid, 'INVALID_PATH');
  });

  test('names that cannot be item paths: INVALID_PATH, nothing uploaded, nothing committed', async () => {
    const before = (await head('cats')).id;
    const good = randomBytes(5000);
    const dir = newDir();
    await materialize(new Map([['fine.bin', good], ['back\\slash.txt', Buffer.from('x')], ['line\nbreak.txt', Buffer.from('y')], ['bell\u0007.txt', Buffer.from('z')]]), dir);
    const error = failed(await sheaf('push', dir, '--dataset', 'cats', '-m', 'bad names'), 'INVALID_PATH');
    assert.equal(error.paths.sort(), ['back\\slash.txt', 'bell\u0007.txt', 'line\nbreak.txt']);
    assert.equal(await missingBlobs([sha256(good)]), [sha256(good)]);
    assert.is((await head('cats')).id, before);
  });

  test('a push that loses the race to another commit fails with REF_CONFLICT, publishes nothing, leaves no private branch', async () => {
    const graphql = new GraphqlClient(new ServerConnection(server!.url, server!.bootstrapToken ?? undefined));
    const current = await head('cats');
    const changes = [{ path: 'stale.txt', blob: sha256(mainTree.get('README.md')!) }, { path: 'labels/2.txt', delete: true as const }];
    const error = await rejection(stageAndCommit(graphql, BRANCH, changes, { message: 'stale', expectedHead: first.commit }));
    assert.is(error.code, 'REF_CONFLICT');
    assert.match(error.message, 'nothing was published');
    assert.equal(await stagedPaths(), []);
    assert.is((await head('cats')).id, current.id);
    assert.equal(await privateBranches(), []);
  });

  test('two pushes from the same head: exactly one lands, and neither sweeps in changes others staged', async () => {
    const graphql = new GraphqlClient(new ServerConnection(server!.url, server!.bootstrapToken ?? undefined));
    const readme = sha256(mainTree.get('README.md')!);
    const foreign = async () => {
      const data = await gql(`mutation { stageItems(project: "default", dataset: "cats", branch: "main", changes: [{ path: "foreign.txt", blob: "${readme}" }]) { __typename } }`);
      assert.is(data.stageItems.__typename, 'StageResult');
    };
    const current = await head('cats');
    // Another writer stages on the shared branch in the instant before our commit.
    const mine = await stageAndCommit(new InterleavingClient(server!.url, server!.bootstrapToken ?? '', 'commit(', foreign), BRANCH, [{ path: 'mine.txt', blob: readme }], {
      message: 'mine',
      expectedHead: current.id,
    });
    assert.is((await head('cats')).id, mine.commit);
    const published = await gql(`{ snapshot(project: "default", hash: "${mine.snapshot}") { ... on Snapshot { items(prefix: "f") { edges { node { path } } } itemCount } } }`);
    assert.equal(published.snapshot.items.edges, [], 'foreign.txt was not swept into this push');
    assert.equal(await stagedPaths(), ['foreign.txt'], 'and it is still staged for its own writer');
    await gql(`mutation { unstageItems(project: "default", dataset: "cats", branch: "main", paths: ["foreign.txt"]) { __typename } }`);

    // Two writers racing from the same head: one lands, the other changes nothing.
    const racers = await Promise.allSettled(
      ['racer-a.txt', 'racer-b.txt'].map((path) => stageAndCommit(graphql, BRANCH, [{ path, blob: readme }], { message: path, expectedHead: mine.commit })),
    );
    const won = racers.filter((r) => r.status === 'fulfilled');
    assert.is(won.length, 1);
    const lost = racers.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.is(lost.reason.code, 'REF_CONFLICT');
    const landed = (won[0] as PromiseFulfilledResult<{ commit: string }>).value.commit;
    assert.is((await head('cats')).id, landed);
    const racerItems = await gql(`{ dataset(project: "default", name: "cats") { ... on Dataset { items(prefix: "racer-") { edges { node { path } } } } } }`);
    assert.is(racerItems.dataset.items.edges.length, 1, 'only the winner\'s file is on the branch');
    assert.equal(await privateBranches(), []);
  });

  test('unknown dataset or ref is NOT_FOUND; a malformed hash is INVALID_HASH', async () => {
    const src = newDir();
    await materialize(new Map([['a', Buffer.from('a')]]), src);
    const target = newDir();
    const short = 'a'.repeat(63);
    const cases: [string[], string][] = [
      [['log', 'nope'], 'NOT_FOUND'],
      [['log', 'cats@nope'], 'NOT_FOUND'],
      [['log', `cats@${'0'.repeat(64)}`], 'NOT_FOUND'],
      [['diff', 'cats@main', 'cats@nope'], 'NOT_FOUND'],
      [['push', newDir(), '--dataset', 'nope', '-m', 'x'], 'INVALID_INPUT'],
      [['push', src, '--dataset', 'nope', '-m', 'x'], 'NOT_FOUND'],
      [['push', src, '--dataset', 'cats', '--branch', 'nope', '-m', 'x'], 'NOT_FOUND'],
      [['export', 'cats@nope', target], 'NOT_FOUND'],
      [['clone', 'cats@nope', 'other'], 'NOT_FOUND'],
      [['merge', 'cats', 'nope', '--into', 'main'], 'NOT_FOUND'],
      [['diff', `cats@${short}`, 'cats@main'], 'INVALID_HASH'],
      [['diff', short, 'cats@main'], 'INVALID_HASH'],
      [['log', `cats@${short}`], 'INVALID_HASH'],
      [['cat', `cats@${short}`, 'README.md'], 'INVALID_HASH'],
    ];
    const runs = await Promise.all(cases.map(([args]) => sheaf(...args)));
    runs.forEach((run, i) => failed(run, cases[i]![1]));
    assert.is(await stat(target).catch(() => null), null);
  });

  test('an unreachable server exits 3', async () => {
    const run = await runCli(['dataset', 'list', '--json', '--server', `http://127.0.0.1:${await closedPort()}`]);
    failed(run, 'UNREACHABLE', 3);
  });

  return test;
}

async function rejection(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, CliError);
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

/** A GraphQL client that runs `interleave` (another writer) once, just before the first request containing `marker`. */
class InterleavingClient extends GraphqlClient {
  private done = false;
  constructor(
    url: string,
    token: string,
    private readonly marker: string,
    private readonly interleave: () => Promise<void>,
  ) {
    super(new ServerConnection(url, token));
  }

  override async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    if (!this.done && query.includes(this.marker)) {
      this.done = true;
      // For staging, the other writer comes right after this request; for a commit, right before.
      if (this.marker === 'stageItems(') {
        const result = await super.request<T>(query, variables);
        await this.interleave();
        return result;
      }
      await this.interleave();
    }
    return super.request<T>(query, variables);
  }
}

/** Bytes of every file of `tree`, duplicates included (what an export writes). */
function totalBytes(tree: Tree): number {
  return [...tree.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0);
}

// Test paths are ASCII, where code point order is plain string order.
function comparePathsForTest(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
