import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../../cli/run.ts';
import { startTestServer, type As, type TestServer } from '../helpers/test-server.ts';

const test = suite('labeling commands');
let api: TestServer;
let dir: string;
const tokens: Record<string, string> = {};
const as = (user: string): As => ({ token: tokens[user]! });

const SCHEMA = {
  media: 'image',
  classes: [
    { name: 'ok', color: '#00ff00', hotkey: '1' },
    { name: 'dent', color: '#0000ff', hotkey: '2' },
  ],
  tools: ['class', 'box'],
};
const PATHS = ['parts/a.png', 'parts/b.png', 'parts/c.png'];

test.before(async () => {
  api = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'sheaf-labeling-cli-'));
  const { identity } = api.server.services;
  const admin = (await identity.authenticate({ bearer: api.adminToken }))!.actor;
  // lena labels and rita reviews: both need label access to the branch; vic only reads.
  for (const [user, role] of [['lena', 'labeler'], ['rita', 'labeler'], ['vic', 'viewer']] as const) {
    await identity.createUser(admin, { name: user });
    await identity.setMember(admin, { project: 'default', user, role, branches: role === 'labeler' ? ['inspections@to-label'] : null });
    tokens[user] = (await identity.createToken(admin, { name: 'cli', scopes: ['read', 'write'], user })).token;
  }
  await ok(`mutation { createDataset(project: "default", name: "inspections") { __typename } }`);
  const changes = [];
  for (const path of PATHS) changes.push({ path, blob: await api.upload(`bytes of ${path}`), meta: { line: 3 } });
  await ok(`mutation($c: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "inspections", branch: "main", changes: $c) { __typename } }`, { c: changes });
  await ok(`mutation { commit(project: "default", dataset: "inspections", branch: "main", message: "parts") { __typename } }`);
  await ok(`mutation { createBranch(project: "default", dataset: "inspections", name: "to-label", from: "main") { __typename } }`);

  await writeFile(join(dir, 'schema.json'), JSON.stringify(SCHEMA, null, 2));
  await writeFile(join(dir, 'instructions.md'), 'Mark dents.\nEverything else is ok.\n');
  await writeFile(join(dir, 'broken.json'), '{\n  "media": "image",\n}\n');
  await writeFile(join(dir, 'invalid.json'), JSON.stringify({ ...SCHEMA, classes: [SCHEMA.classes[0], { name: 'dent', color: 'blue' }] }));
});
test.after(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, who?: As): Promise<T> {
  const body = await api.gql<T>(query, variables, who);
  assert.not.ok(body.errors ?? body.error, JSON.stringify(body.errors ?? body.error));
  return body.data as T;
}

/** Runs `sheaf` in-process as `user` (default: the administrator); `onStderr` sees stderr as it is written. */
async function sheaf(argv: string[], options: { user?: string; onStderr?: (text: string) => void } = {}) {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) => new Writable({ write: (chunk, _e, callback) => (append(String(chunk)), callback()) });
  const token = options.user === undefined ? api.adminToken : tokens[options.user]!;
  const io = {
    stdout: sink((t) => (out += t)),
    stderr: sink((t) => ((err += t), options.onStderr?.(err))),
    env: { SHEAF_URL: api.url, SHEAF_TOKEN: token },
  };
  const code = await run(argv, io);
  let json: any;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, stdout: out, stderr: err, json };
}

const file = (name: string) => join(dir, name);
const NEXT = `mutation($n: Int) { nextTasks(project: "default", labelingProject: "parts", count: $n) { path } }`;
const SUBMIT = `mutation($p: String!, $a: JSON!, $s: String!) { submitLabels(project: "default", labelingProject: "parts", path: $p, annotations: $a, submissionId: $s) { status } }`;
const cls = (label: string) => [{ id: 'c1', kind: 'class', label }];

test('create from a schema file prints the project and its task count', async () => {
  const created = await sheaf(['labeling', 'create', 'parts', '--over', 'inspections@to-label', '--schema', file('schema.json'),
    '--instructions', file('instructions.md'), '--order', 'dataset', '--review-threshold', '0.8']);
  assert.is(created.code, 0, created.stderr);
  assert.is(created.stdout, 'created labeling project parts over inspections@to-label: 3 tasks\n');

  const json = await sheaf(['labeling', 'create', 'pairs', '--over', 'inspections@to-label', '--schema', file('schema.json'),
    '--overlap', '2', '--overlap-fraction', '0.5', '--order', 'random', '--auto-commit', '10', '--json']);
  assert.is(json.code, 0, json.stderr);
  const lp = json.json;
  assert.equal([lp.name, lp.dataset, lp.branch, lp.overlap, lp.overlapFraction, lp.queueOrder, lp.autoCommitEvery, lp.reviewThreshold, lp.progress.total],
    ['pairs', 'inspections', 'to-label', 2, 0.5, 'random', 10, 0.7, 3]);
  assert.equal(lp.schema, SCHEMA);
  assert.is(lp.instructions, '');
});

test('member set and remove; a bad role or action is a usage error', async () => {
  const lena = await sheaf(['labeling', 'member', 'set', 'parts', 'lena', 'labeler']);
  assert.equal([lena.code, lena.stdout], [0, 'lena is labeler of parts\n'], lena.stderr);
  const rita = await sheaf(['labeling', 'member', 'set', 'parts', 'rita', 'reviewer', '--json']);
  assert.equal(rita.json, { labelingProject: 'parts', user: 'rita', role: 'reviewer' });
  const vic = await sheaf(['labeling', 'member', 'set', 'pairs', 'vic', 'labeler']);
  assert.is(vic.code, 0, vic.stderr);
  assert.is((await sheaf(['labeling', 'member', 'remove', 'pairs', 'vic'])).stdout, 'removed vic from pairs\n');
  assert.is((await sheaf(['labeling', 'member', 'remove', 'pairs', 'vic'])).stdout, 'vic was not a member of pairs\n');

  const boss = await sheaf(['labeling', 'member', 'set', 'parts', 'lena', 'boss']);
  assert.is(boss.code, 2);
  assert.match(boss.stderr, 'role must be labeler or reviewer');
  assert.is((await sheaf(['labeling', 'member', 'set', 'parts', 'lena'])).code, 2);
  assert.is((await sheaf(['labeling', 'member', 'add', 'parts', 'lena', 'labeler'])).code, 2);
  const unknownUser = await sheaf(['labeling', 'member', 'set', 'parts', 'nobody', 'labeler', '--json']);
  assert.equal([unknownUser.code, unknownUser.json.error.code], [1, 'NOT_FOUND']);
});

test('show, list and status count the labels a labeler submitted', async () => {
  const { nextTasks } = await ok(NEXT, { n: 2 }, as('lena'));
  assert.equal(nextTasks.map((t: { path: string }) => t.path), PATHS.slice(0, 2));
  await ok(SUBMIT, { p: PATHS[0], a: cls('ok'), s: 'lena-1' }, as('lena'));
  await ok(SUBMIT, { p: PATHS[1], a: cls('dent'), s: 'lena-2' }, as('lena'));

  const shown = await sheaf(['labeling', 'show', 'parts']);
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^labeling project parts over inspections@to-label\n/);
  assert.match(shown.stdout, '  schema        image; tools class, box; 2 classes: ok, dent\n');
  assert.match(shown.stdout, '  overlap       none\n');
  assert.match(shown.stdout, '  review below  0.8 agreement\n');
  assert.match(shown.stdout, '  instructions  Mark dents. (+1 line)\n');
  assert.match(shown.stdout, '  members       lena (labeler), rita (reviewer)\n');
  assert.match(shown.stdout, '  progress      2/3 done (66.6%): 1 unlabeled, 0 leased, 0 skipped, 0 in review; 2 uncommitted\n');
  const shownJson = (await sheaf(['labeling', 'show', 'parts', '--json'])).json;
  assert.equal(shownJson.progress, { total: 3, unlabeled: 1, leased: 0, inReview: 0, done: 2, skipped: 0, uncommitted: 2 });
  assert.is(shownJson.instructions, 'Mark dents.\nEverything else is ok.\n');

  const listed = await sheaf(['labeling', 'list']);
  assert.is(listed.stdout, 'pairs  inspections@to-label  0/3 done (0%)  manager\nparts  inspections@to-label  2/3 done (66.6%)  manager\n');
  // A labeler sees only the projects it works in.
  const own = await sheaf(['labeling', 'list', '--json'], { user: 'lena' });
  assert.equal(own.json.map((p: { name: string; myRole: string }) => [p.name, p.myRole]), [['parts', 'labeler']]);

  const status = await sheaf(['labeling', 'status', 'parts', '--json']);
  assert.is(status.code, 0, status.stderr);
  assert.equal([status.json.percentDone, status.json.progress.done, status.json.progress.total, status.json.reviewThreshold], [66.6, 2, 3, 0.8]);
  assert.equal(status.json.labelers.map((l: any) => [l.user, l.submitted, l.skipped, l.accepted, l.rejected]), [['lena', 2, 0, 0, 0]]);
  assert.is(status.json.agreement.items, 0);
  const text = (await sheaf(['labeling', 'status', 'parts'])).stdout;
  assert.match(text, /^parts \(inspections@to-label\)\nprogress   2\/3 done \(66\.6%\)/);
  assert.match(text, /^ {2}labeler {2}submitted {2}skipped {2}accepted {2}rejected {2}per hour {2}median$/m);
  assert.match(text, /^ {2}lena {13}2 {8}0 {9}0 {9}0 +\d+\.\d +(\d+\.\ds|-)$/m);
  assert.match(text, 'agreement  no overlapped item fully labeled yet');
});

test('commit prints the snapshot hash the branch head then has; a second commit finds nothing staged', async () => {
  const committed = await sheaf(['labeling', 'commit', 'parts', '-m', 'first labels'], { user: 'rita' });
  assert.is(committed.code, 0, committed.stderr);
  const [, commit, snapshot] = /^committed labels of 2 items \(parts\)\ncommit {3}(\S+)\nsnapshot ([0-9a-f]{64})\n$/.exec(committed.stdout) ?? [];
  assert.ok(snapshot, committed.stdout);
  const { dataset } = await ok(`{ dataset(project: "default", name: "inspections") { ... on Dataset { branch(name: "to-label") { head { id message snapshot { hash } } } } } }`);
  assert.equal([dataset.branch.head.id, dataset.branch.head.snapshot.hash, dataset.branch.head.message], [commit, snapshot, 'first labels']);

  const again = await sheaf(['labeling', 'commit', 'parts']);
  assert.equal([again.code, again.stdout], [0, 'nothing to commit: parts has no staged labels\n']);
  assert.is((await sheaf(['labeling', 'commit', 'parts', '--json'])).stdout, 'null\n');
  assert.is((await sheaf(['labeling', 'status', 'parts', '--json'])).json.progress.uncommitted, 0);
});

test('history lists the submit event, newest first, with the commit that took it in', async () => {
  const events = await sheaf(['labeling', 'history', 'inspections', PATHS[1]!, '--json']);
  assert.is(events.code, 0, events.stderr);
  assert.equal(events.json.map((e: any) => [e.action, e.user, e.labelingProject]), [['commit', 'rita', 'parts'], ['submit', 'lena', 'parts']]);
  const submit = events.json[1];
  assert.equal(submit.annotations.map((a: any) => a.label), ['dent']);
  const text = await sheaf(['labeling', 'history', 'inspections', PATHS[1]!, '--limit', '5']);
  const lines = text.stdout.trimEnd().split('\n');
  assert.is(lines.length, 2);
  assert.match(lines[1]!, new RegExp(`^\\S+ {2}submit {9}lena {2}parts {2}1 label: dent {2}commit ${submit.commit.slice(0, 12)}$`));
  assert.is((await sheaf(['labeling', 'history', 'inspections', PATHS[2]!])).stdout, `no labeling history for ${PATHS[2]}\n`);
});

test('status shows the agreement of overlapped items', async () => {
  // In "pairs" (overlap 2 on half the items, by a hash of the path) a.png and c.png need two labelers.
  for (const user of ['lena', 'rita']) assert.is((await sheaf(['labeling', 'member', 'set', 'pairs', user, 'labeler'])).code, 0);
  const next = `mutation { nextTasks(project: "default", labelingProject: "pairs", count: 3) { path } }`;
  const submit = SUBMIT.replace('labelingProject: "parts"', 'labelingProject: "pairs"');
  for (const { path } of (await ok(next, {}, as('lena'))).nextTasks) await ok(submit, { p: path, a: cls('ok'), s: `lena-${path}` }, as('lena'));
  const ritas = (await ok(next, {}, as('rita'))).nextTasks.map((t: { path: string }) => t.path).sort();
  assert.equal(ritas, [PATHS[0], PATHS[2]]);
  await ok(submit, { p: PATHS[0], a: cls('ok'), s: 'rita-a' }, as('rita'));
  await ok(submit, { p: PATHS[2], a: cls('dent'), s: 'rita-c' }, as('rita'));

  const status = await sheaf(['labeling', 'status', 'pairs', '--json']);
  assert.equal(status.json.progress, { total: 3, unlabeled: 0, leased: 0, inReview: 1, done: 2, skipped: 0, uncommitted: 2 });
  assert.equal([status.json.agreement.items, status.json.agreement.belowThreshold, status.json.agreement.meanIoU], [2, 1, null]);
  assert.equal(status.json.labelers.map((l: any) => [l.user, l.submitted]), [['lena', 3], ['rita', 2]]);
  const text = (await sheaf(['labeling', 'status', 'pairs'])).stdout;
  assert.match(text, /^progress {3}2\/3 done \(66\.6%\): 0 unlabeled, 0 leased, 0 skipped, 1 in review; 2 uncommitted$/m);
  assert.match(text, /^agreement {2}2 overlapped items: kappa -?\d\.\d\d, IoU -; 1 below 0\.7$/m);
});

test('status --watch refreshes until every task is done', async () => {
  let seen!: () => void;
  const firstRefresh = new Promise<void>((resolve) => (seen = resolve));
  const watching = sheaf(['labeling', 'status', 'parts', '--watch'], { onStderr: (text) => text.includes('2/3 done') && seen() });
  await firstRefresh;
  const { nextTasks } = await ok(NEXT, { n: 1 }, as('lena'));
  assert.equal(nextTasks.map((t: { path: string }) => t.path), [PATHS[2]]);
  await ok(SUBMIT, { p: PATHS[2], a: cls('ok'), s: 'lena-3' }, as('lena'));
  const watched = await watching;
  assert.is(watched.code, 0, watched.stderr);
  assert.match(watched.stderr, /^parts: 2\/3 done \(66\.6%\)/);
  assert.match(watched.stderr, /\nparts: 3\/3 done \(100%\): 0 unlabeled, 0 leased, 0 skipped, 0 in review; 1 uncommitted\n$/);
  assert.match(watched.stdout, /^progress {3}3\/3 done \(100%\)/m);
});

test('update changes the settings given; nothing given is a usage error', async () => {
  const updated = await sheaf(['labeling', 'update', 'parts', '--auto-commit', '5', '--order', 'meta:line', '--review-threshold', '0.6', '--json']);
  assert.is(updated.code, 0, updated.stderr);
  assert.equal([updated.json.autoCommitEvery, updated.json.queueOrder, updated.json.reviewThreshold], [5, 'meta:line', 0.6]);
  const off = await sheaf(['labeling', 'update', 'parts', '--auto-commit', '0']);
  assert.is(off.code, 0, off.stderr);
  assert.match(off.stdout, /^updated --auto-commit\n/);
  assert.match(off.stdout, '  auto-commit   off');
  assert.is((await sheaf(['labeling', 'update', 'parts'])).code, 2);
  assert.is((await sheaf(['labeling', 'update', 'parts', '--overlap', '3'])).code, 2);
  const badOrder = await sheaf(['labeling', 'update', 'parts', '--order', 'sideways', '--json']);
  assert.equal([badOrder.code, badOrder.json.error.code], [1, 'INVALID_INPUT']);
});

test('errors: unknown project, bad schema files, missing permission, bad arguments', async () => {
  for (const argv of [['show', 'nope'], ['status', 'nope'], ['commit', 'nope'], ['member', 'set', 'nope', 'lena', 'labeler']]) {
    const unknown = await sheaf(['labeling', ...argv]);
    assert.is(unknown.code, 1, argv.join(' '));
    assert.is(unknown.stderr, 'error NOT_FOUND: labeling project not found: default/nope\n');
  }

  const create = (name: string, schema: string, ...more: string[]) => sheaf(['labeling', 'create', name, '--over', 'inspections@to-label', '--schema', schema, ...more]);
  const broken = await create('broken', file('broken.json'));
  assert.is(broken.code, 1);
  assert.is(broken.stderr, `error INVALID_INPUT: ${file('broken.json')}:3:1: not JSON: unexpected "}"\n`);
  const brokenJson = await create('broken', file('broken.json'), '--json');
  assert.equal(brokenJson.json.error, { code: 'INVALID_INPUT', message: `${file('broken.json')}:3:1: not JSON: unexpected "}"`, file: file('broken.json'), line: 3, column: 1 });

  const invalid = await create('invalid', file('invalid.json'), '--json');
  assert.is(invalid.code, 1);
  assert.equal([invalid.json.error.code, invalid.json.error.field], ['INVALID_INPUT', 'schema/classes/1/color']);
  assert.match(invalid.json.error.message, new RegExp(`^${file('invalid.json')}: invalid schema/classes/1/color: `));
  const missing = await create('missing', file('missing.json'));
  assert.equal([missing.code, missing.stderr], [1, `error INVALID_INPUT: cannot read ${file('missing.json')}: no such file\n`]);
  const badUpdate = await sheaf(['labeling', 'update', 'parts', '--schema', file('invalid.json')]);
  assert.is(badUpdate.code, 1);
  assert.match(badUpdate.stderr, `error INVALID_INPUT: ${file('invalid.json')}: invalid schema/classes/1/color`);
  // Nothing was created or changed by the refusals.
  assert.equal((await sheaf(['labeling', 'list', '--json'])).json.map((p: { name: string }) => p.name), ['pairs', 'parts']);
  assert.equal((await sheaf(['labeling', 'show', 'parts', '--json'])).json.schema, SCHEMA);

  for (const [user, argv] of [
    ['lena', ['create', 'lenas', '--over', 'inspections@to-label', '--schema', file('schema.json')]],
    ['lena', ['member', 'set', 'parts', 'lena', 'reviewer']],
    ['vic', ['commit', 'parts']],
    ['vic', ['update', 'parts', '--auto-commit', '1']],
  ] as const) {
    const denied = await sheaf(['labeling', ...argv], { user });
    assert.is(denied.code, 1, `${user}: ${argv.join(' ')}`);
    assert.match(denied.stderr, /^error FORBIDDEN: /, `${user}: ${argv.join(' ')}`);
  }

  for (const argv of [
    ['create', 'x', '--over', 'inspections', '--schema', file('schema.json')],
    ['create', 'x', '--over', 'inspections@to-label'],
    ['create', 'x', '--over', 'inspections@to-label', '--schema', file('schema.json'), '--overlap', 'two'],
    ['create', 'x', '--over', 'inspections@to-label', '--schema', file('schema.json'), '--overlap-fraction', '0.5'],
    ['create', 'x', '--over', 'inspections@to-label', '--schema', file('schema.json'), '--review-threshold', '1.5'],
    ['history', 'inspections'],
    ['history', 'inspections', PATHS[0]!, '--limit', '0'],
  ]) assert.is((await sheaf(['labeling', ...argv])).code, 2, argv.join(' '));
});

test.run();
