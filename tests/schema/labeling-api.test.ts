import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestServer, type As, type TestServer } from '../helpers/test-server.ts';

const test = suite('labeling through the API');
let api: TestServer;
const tokens: Record<string, string> = {};
const as = (user: string): As => ({ token: tokens[user]! });

const SCHEMA = {
  media: 'image',
  classes: [
    { name: 'ok', color: '#00ff00', hotkey: '1' },
    { name: 'scratch', color: '#ff0000', hotkey: '2' },
    { name: 'dent', color: '#0000ff', hotkey: '3' },
  ],
  tools: ['class', 'box'],
};

test.before(async () => {
  api = await startTestServer();
  const admin = (await api.server.services.identity.authenticate({ bearer: api.adminToken }))!.actor;
  const { identity } = api.server.services;
  await ok(`mutation { createProject(name: "beta") { __typename } }`);
  const members = [
    ['lena', 'default', 'labeler'],
    ['leo', 'default', 'labeler'],
    ['rita', 'default', 'labeler'],
    ['bea', 'beta', 'labeler'],
  ] as const;
  for (const [user, project, role] of members) {
    await identity.createUser(admin, { name: user });
    await identity.setMember(admin, { project, user, role, branches: ['inspections@to-label'] });
    tokens[user] = (await identity.createToken(admin, { name: 'labeling', scopes: ['read', 'write'], user })).token;
  }
  await ok(`mutation { createDataset(project: "default", name: "inspections") { __typename } }`);
  const changes = [];
  for (const name of ['a.png', 'b.png']) changes.push({ path: `parts/${name}`, blob: await api.upload(`bytes of ${name}`), meta: { line: 3 } });
  await ok(`mutation($c: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "inspections", branch: "main", changes: $c) { __typename } }`, { c: changes });
  await ok(`mutation { commit(project: "default", dataset: "inspections", branch: "main", message: "parts") { __typename } }`);
  await ok(`mutation { createBranch(project: "default", dataset: "inspections", name: "to-label", from: "main") { __typename } }`);
});
test.after(async () => {
  await api?.close();
});

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, who?: As): Promise<T> {
  const body = await api.gql<T>(query, variables, who);
  assert.not.ok(body.errors ?? body.error, JSON.stringify(body.errors ?? body.error));
  assert.not.match(JSON.stringify(body.data), /"__typename":"\w+Error"/, JSON.stringify(body.data));
  return body.data as T;
}

async function failsWith(code: string, query: string, variables: Record<string, unknown> = {}, who?: As): Promise<string> {
  const body = await api.gql(query, variables, who);
  assert.ok(body.errors, `expected ${code}, got ${JSON.stringify(body.data)}`);
  assert.is(body.errors![0]!.extensions?.code, code, JSON.stringify(body.errors));
  return body.errors![0]!.message;
}

const TASKS = `mutation($n: Int) { nextTasks(project: "default", labelingProject: "parts", count: $n) { path blob size mediaType meta annotations leaseExpiresAt contentUrl previewUrl } }`;
const SUBMIT = `mutation($p: String!, $a: JSON!, $s: String!) { submitLabels(project: "default", labelingProject: "parts", path: $p, annotations: $a, submissionId: $s) { path status committed { commit } } }`;
const cls = (label: string) => [{ id: 'c1', kind: 'class', label }];

test('labeler → reviewer → commit: the labeled state has a snapshot hash', async () => {
  const create = `mutation($s: JSON!) { createLabelingProject(project: "default", name: "parts", dataset: "inspections", branch: "to-label", schema: $s,
    instructions: "One class per part.", overlap: 2, overlapFraction: 1, reviewThreshold: 0.9) { id name schema overlap overlapFraction queueOrder autoCommitEvery reviewThreshold myRole progress { total unlabeled } } }`;
  const bad = await failsWith('INVALID_INPUT', create, { s: { ...SCHEMA, tools: ['class', 'span'] } });
  assert.match(bad, /schema\/tools\/1/);
  const { createLabelingProject: lp } = await ok(create, { s: SCHEMA });
  assert.equal([lp.overlap, lp.queueOrder, lp.autoCommitEvery, lp.myRole, lp.progress], [2, 'dataset', null, 'manager', { total: 2, unlabeled: 2 }]);
  assert.equal(lp.schema, SCHEMA);
  for (const [user, role] of [['lena', 'labeler'], ['leo', 'labeler'], ['rita', 'reviewer']])
    await ok(`mutation($u: String!, $r: String!) { setLabelingMember(project: "default", labelingProject: "parts", user: $u, role: $r) { user role } }`, { u: user, r: role });

  const { labelingProjects } = await ok(`{ labelingProjects(project: "default") { name myRole members { user role } } }`, {}, as('lena'));
  assert.equal(labelingProjects, [{ name: 'parts', myRole: 'labeler', members: [{ user: 'lena', role: 'labeler' }, { user: 'leo', role: 'labeler' }, { user: 'rita', role: 'reviewer' }] }]);

  const { nextTasks } = await ok(TASKS, { n: 2 }, as('lena'));
  assert.equal(nextTasks.map((t: { path: string }) => t.path), ['parts/a.png', 'parts/b.png']);
  const [a] = nextTasks;
  assert.equal([a.size, a.meta, a.annotations, a.contentUrl, a.previewUrl], [
    'bytes of a.png'.length,
    { line: 3 },
    null,
    `/v1/projects/default/blobs/${a.blob}`,
    `/v1/projects/default/blobs/${a.blob}/preview?width=1280`,
  ]);
  assert.ok(Date.parse(a.leaseExpiresAt) > Date.now());
  assert.is((await ok(TASKS, { n: 2 }, as('leo'))).nextTasks.length, 2);

  assert.equal((await ok(SUBMIT, { p: 'parts/a.png', a: cls('ok'), s: 'lena-1' }, as('lena'))).submitLabels, { path: 'parts/a.png', status: 'waiting', committed: null });
  // The client retries (say, the answer was lost): same answer, nothing new.
  assert.is((await ok(SUBMIT, { p: 'parts/a.png', a: cls('ok'), s: 'lena-1' }, as('lena'))).submitLabels.status, 'waiting');
  assert.is((await ok(SUBMIT, { p: 'parts/a.png', a: cls('ok'), s: 'leo-1' }, as('leo'))).submitLabels.status, 'done');
  await ok(SUBMIT, { p: 'parts/b.png', a: cls('ok'), s: 'lena-2' }, as('lena'));
  assert.is((await ok(SUBMIT, { p: 'parts/b.png', a: cls('dent'), s: 'leo-2' }, as('leo'))).submitLabels.status, 'review');
  const badLabel = await failsWith('INVALID_INPUT', SUBMIT, { p: 'parts/b.png', a: cls('rust'), s: 'lena-3' }, as('lena'));
  assert.match(badLabel, /annotations\/0\/label/);
  await failsWith('TASK_CONFLICT', SUBMIT, { p: 'parts/b.png', a: cls('ok'), s: 'lena-4' }, as('lena'));

  const REVIEW_QUEUE = `{ reviewQueue(project: "default", labelingProject: "parts") { path agreement reason submissions { user annotations time } } }`;
  await failsWith('FORBIDDEN', REVIEW_QUEUE, {}, as('lena'));
  const { reviewQueue } = await ok(REVIEW_QUEUE, {}, as('rita'));
  assert.equal(reviewQueue.map((t: any) => [t.path, t.agreement, t.submissions.map((s: any) => s.user)]), [['parts/b.png', 0, ['lena', 'leo']]]);
  const { reviewItem } = await ok(
    `mutation($a: JSON) { reviewItem(project: "default", labelingProject: "parts", path: "parts/b.png", decision: "accept", comment: "a dent, clearly", annotations: $a) { id action user comment annotations commit } }`,
    { a: cls('dent') },
    as('rita'),
  );
  assert.equal([reviewItem.action, reviewItem.user, reviewItem.comment, reviewItem.commit], ['review.accept', 'rita', 'a dent, clearly', null]);

  const { commitLabels } = await ok(`mutation { commitLabels(project: "default", labelingProject: "parts") { commit snapshot items } }`, {}, as('rita'));
  assert.is(commitLabels.items, 2);
  assert.is((await ok(`mutation { commitLabels(project: "default", labelingProject: "parts") { commit } }`, {}, as('rita'))).commitLabels, null);

  // The branch head is that commit; its snapshot holds the labels.
  const { dataset } = await ok(`{ dataset(project: "default", name: "inspections") { ... on Dataset { branch(name: "to-label") { head { id snapshot { hash } } } item(path: "parts/b.png", ref: "to-label") { annotations } } } }`);
  assert.equal([dataset.branch.head.id, dataset.branch.head.snapshot.hash], [commitLabels.commit, commitLabels.snapshot]);
  assert.equal(dataset.item.annotations.map((x: any) => [x.label, x.source.author]), [['dent', 'rita']]);

  const { itemHistory } = await ok(`{ itemHistory(project: "default", dataset: "inspections", path: "parts/b.png") { action user labelingProject commit snapshot } }`, {}, as('lena'));
  assert.equal(itemHistory.map((e: any) => e.action), ['commit', 'review.accept', 'submit', 'submit']);
  assert.equal(itemHistory[1], { action: 'review.accept', user: 'rita', labelingProject: 'parts', commit: commitLabels.commit, snapshot: commitLabels.snapshot });

  const { labelingDashboard } = await ok(`{ labelingDashboard(project: "default", labelingProject: "parts") {
    progress { total unlabeled leased inReview done skipped uncommitted } labelers { user submitted accepted } agreement { items meanKappa belowThreshold } } }`);
  assert.equal(labelingDashboard.progress, { total: 2, unlabeled: 0, leased: 0, inReview: 0, done: 2, skipped: 0, uncommitted: 0 });
  assert.equal(labelingDashboard.labelers, [{ user: 'lena', submitted: 2, accepted: 1 }, { user: 'leo', submitted: 2, accepted: 1 }]);
  assert.equal([labelingDashboard.agreement.items, labelingDashboard.agreement.belowThreshold], [2, 1]);
});

test('tenancy, unknown names and scopes', async () => {
  await failsWith('FORBIDDEN', `{ labelingProject(project: "default", name: "parts") { name } }`, {}, as('bea'));
  await failsWith('FORBIDDEN', `{ labelingProjects(project: "default") { name } }`, {}, as('bea'));
  await failsWith('FORBIDDEN', TASKS, { n: 1 }, as('bea'));
  await failsWith('NOT_FOUND', `{ labelingProject(project: "default", name: "nope") { name } }`);
  await failsWith('FORBIDDEN', `mutation { releaseTask(project: "default", labelingProject: "parts", path: "parts/a.png") }`, {}, as('rita'));
  const readOnly = (await api.server.services.identity.createToken((await api.server.services.identity.authenticate({ bearer: api.adminToken }))!.actor, { name: 'ro', scopes: ['read'], user: 'lena' })).token;
  await failsWith('FORBIDDEN', TASKS, { n: 1 }, { token: readOnly });
  await failsWith('UNAUTHENTICATED', `{ labelingProjects(project: "default") { name } }`, {}, { token: null });
});

test.run();
