import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../../core/canonical-json.ts';
import { startTestServer, type TestServer } from '../../helpers/test-server.ts';

const test = suite('POST …/ndjson');
let api: TestServer;
let viewerToken: string;

test.before(async () => {
  api = await startTestServer();
  await api.gql(`mutation { createDataset(project: "default", name: "events") { ... on Dataset { name } } }`);
  await api.gql(`mutation { createBranch(project: "default", dataset: "events", name: "raw", from: "main") { ... on Branch { name } } }`);
  const admin = (await api.server.services.identity.authenticate({ bearer: api.adminToken }))!.actor;
  const { identity } = api.server.services;
  await identity.createUser(admin, { name: 'vera' });
  await identity.setMember(admin, { project: 'default', user: 'vera', role: 'viewer', branches: [] });
  viewerToken = (await identity.createToken(admin, { name: 'ndjson', scopes: ['read', 'write'], user: 'vera' })).token;
});
test.after(async () => api?.close());

async function post(body: string | AsyncIterable<Uint8Array>, query = '', init: { token?: string; type?: string; branch?: string } = {}) {
  const response = await fetch(`${api.url}/v1/projects/default/datasets/events/branches/${init.branch ?? 'raw'}/ndjson${query}`, {
    method: 'POST',
    headers: { 'content-type': init.type ?? 'application/x-ndjson', ...api.headers(init.token === undefined ? {} : { token: init.token }) },
    body: typeof body === 'string' ? body : (body as never),
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  return { status: response.status, body: (await response.json()) as any };
}

async function items(ref: string) {
  const result = await api.gql(`query($r: String!) { dataset(project: "default", name: "events") { ... on Dataset { items(ref: $r, first: 500) { edges { node { path blob meta } } } } } }`, { r: ref });
  return result.data.dataset.items.edges.map((e: any) => e.node) as { path: string; blob: string; meta: any }[];
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

test('good lines become committed items, bad ones are listed with their line numbers', async () => {
  const lines = [
    '{"deviceId":"d1","t":1,"value":20.5,"meta":{"unit":"C"}}',
    '{"deviceId":"d2","t":1,"value":19.0}',
    '{broken',
    '',
    '[1,2,3]',
    '{"t":2,"value":3}',
    '{"deviceId":"../up","t":3}',
    '{"deviceId":"d1","t":4,"meta":"not an object"}',
    '{"deviceId":"d3","t":5,"value":1}',
  ];
  const { status, body } = await post(lines.join('\n') + '\n', '?path=sensors/{record.deviceId}/{seq}.json&meta=deviceId');
  assert.is(status, 200, JSON.stringify(body));
  assert.is(body.accepted, 3);
  assert.equal(
    body.rejected.map((r: any) => [r.line, r.code]),
    [
      [3, 'INVALID_INPUT'],
      [5, 'INVALID_INPUT'],
      [6, 'INVALID_INPUT'],
      [7, 'INVALID_PATH'],
      [8, 'INVALID_INPUT'],
    ],
  );
  assert.match(body.rejected[0].reason, /not JSON/);
  assert.match(body.rejected[2].reason, /record\.deviceId/);
  assert.is(body.rejectedCount, 5);
  assert.match(body.commit, /^[0-9a-f]{64}$/);

  const stored = await items(body.commit);
  assert.equal(stored.map((i) => i.path), ['sensors/d1/000000000001.json', 'sensors/d2/000000000002.json', 'sensors/d3/000000000009.json']);
  assert.equal(stored[0]!.meta, { unit: 'C', deviceId: 'd1' }, 'the record\'s meta with the chosen fields');
  assert.is(stored[0]!.blob, sha(canonicalJson(JSON.parse(lines[0]!))), 'the content is the record\'s canonical JSON');
  const blob = await fetch(`${api.url}/v1/projects/default/blobs/${stored[1]!.blob}`, { headers: api.headers() });
  assert.is(await blob.text(), '{"deviceId":"d2","t":1,"value":19}');
  const head = await api.gql(`{ dataset(project: "default", name: "events") { ... on Dataset { branch(name: "raw") { head { id } } } } }`);
  assert.is(head.data.dataset.branch.head.id, body.commit);
});

test('a line over 1 MiB is refused as LINE_TOO_LONG and the lines after it are read', async () => {
  async function* body() {
    yield Buffer.from('{"n":1}\n{"big":"');
    for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024, 0x61);
    yield Buffer.from('"}\n{"n":3}');
  }
  const { status, body: result } = await post(body(), '?path=big/{seq}.json');
  assert.is(status, 200);
  assert.is(result.accepted, 2);
  assert.equal(result.rejected, [{ line: 2, code: 'LINE_TOO_LONG', reason: 'invalid line: is longer than 1048576 bytes' }]);
  assert.equal((await items(result.commit)).filter((i) => i.path.startsWith('big/')).map((i) => i.path), ['big/000000000001.json', 'big/000000000003.json']);
});

test('commit windows: every N items gives several commits; the keep rule drops records', async () => {
  const records = Array.from({ length: 25 }, (_, i) => JSON.stringify({ i, meta: { confidence: i % 2 === 0 ? 0.9 : 0.1 } }));
  const { body } = await post(records.join('\n'), '?path=w/{record.i}.json&every=5&keep=meta.confidence<0.5', { branch: 'main' });
  assert.is(body.accepted, 12);
  assert.is(body.dropped, 13);
  assert.is(body.commits.length, 3, 'five, five, and the last two at the end');
  const stored = (await items('main')).filter((i) => i.path.startsWith('w/'));
  assert.is(stored.length, 12);
  assert.ok(stored.every((i) => i.meta.confidence === 0.1));
});

test('refusals before the body is read: content type, permission, bad query, unknown branch', async () => {
  assert.is((await post('{}', '', { type: 'application/json' })).status, 415);
  const viewer = await post('{}', '', { token: viewerToken });
  assert.equal([viewer.status, viewer.body.error.code], [403, 'FORBIDDEN']);
  const badPath = await post('{}', '?path=/abs/{seq}');
  assert.equal([badPath.status, badPath.body.error.code], [400, 'INVALID_PATH_TEMPLATE']);
  const badKeep = await post('{}', '?keep=confidence<1');
  assert.equal([badKeep.status, badKeep.body.error.code], [400, 'INVALID_KEEP_RULE']);
  const badEvery = await post('{}', '?every=0');
  assert.is(badEvery.status, 400);
  const missing = await post('{"a":1}', '', { branch: 'nope' });
  assert.equal([missing.status, missing.body.error.code], [404, 'NOT_FOUND']);
});

test.run();
