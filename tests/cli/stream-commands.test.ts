import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  streamCreateCommand,
  streamDeleteCommand,
  streamListCommand,
  streamPauseCommand,
  streamResumeCommand,
  streamShowCommand,
} from '../../cli/commands/stream.ts';
import { run } from '../../cli/run.ts';
import { publisher, testBrokerUrl, uniqueTopic } from '../helpers/mqtt-broker.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const COMMANDS = [streamCreateCommand, streamListCommand, streamShowCommand, streamPauseCommand, streamResumeCommand, streamDeleteCommand];
const test = suite('stream commands');
let server: TestServer;

test.before(async () => {
  server = await startTestServer();
  await server.gql(`mutation { createDataset(project: "default", name: "cams") { ... on Dataset { name } } }`);
});
test.after(async () => server?.close());

async function sheaf(argv: string[]) {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) => new Writable({ write: (chunk, _e, callback) => (append(String(chunk)), callback()) });
  const io = { stdout: sink((t) => (out += t)), stderr: sink((t) => (err += t)), env: { SHEAF_URL: server.url, SHEAF_TOKEN: server.adminToken } };
  const code = await run(argv, io, COMMANDS);
  let json: any;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, stdout: out, stderr: err, json };
}

async function until(what: string, check: () => Promise<boolean>) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > 20_000) throw new Error(`${what} did not happen`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('create, show, list, pause, resume, delete', async () => {
  const topic = uniqueTopic('cli');
  const created = await sheaf(['stream', 'create', 'cams', '--broker', testBrokerUrl, '--topic', `${topic}/+/frames`, '--dataset', 'cams', '--branch', 'ingest',
    '--path', '{topic}/{timestamp}-{hash}.jpg', '--payload', 'raw', '--every', '500', '--seconds', '1', '--keep', 'meta.confidence<0.5']);
  assert.is(created.code, 0, created.stderr);
  assert.match(created.stdout, `created stream cams: ${topic}/+/frames → cams@ingest`);

  await until('connected', async () => (await sheaf(['stream', 'show', 'cams', '--json'])).json.state.status === 'connected');
  const pub = await publisher();
  await pub.send(`${topic}/1/frames`, 'jpeg bytes', { properties: { userProperties: { confidence: '0.2' } } });
  await pub.send(`${topic}/1/frames`, 'confident', { properties: { userProperties: { confidence: '0.9' } } });
  await pub.endAsync();
  await until('committed', async () => {
    const { state } = (await sheaf(['stream', 'show', 'cams', '--json'])).json;
    return state.messagesReceived === 2 && state.pendingItems === 0 && state.lastCommit !== null;
  });
  const shown = await sheaf(['stream', 'show', 'cams']);
  assert.match(shown.stdout, /^stream cams: connected\n/);
  assert.match(shown.stdout, 'messages 2, staged 1, dropped 1, duplicates 0, dead letters 0');
  assert.match(shown.stdout, /last commit [0-9a-f]{12} at /);

  const listed = await sheaf(['stream', 'list', '--json']);
  assert.equal(listed.json.map((s: { name: string }) => s.name), ["cams"], listed.stdout);
  assert.match((await sheaf(['stream', 'list'])).stdout, /^cams {2}connected {2}.* {2}1 items {2}0 pending {2}0 dead letters$/m);

  const paused = await sheaf(['stream', 'pause', 'cams']);
  assert.equal([paused.code, paused.stdout], [0, 'paused stream cams: paused\n']);
  const resumed = await sheaf(['stream', 'resume', 'cams', '--json']);
  assert.is(resumed.code, 0);
  assert.ok(['connecting', 'connected'].includes(resumed.json.state.status));
  const deleted = await sheaf(['stream', 'delete', 'cams']);
  assert.equal([deleted.code, deleted.stdout], [0, 'deleted stream cams\n']);
  const gone = await sheaf(['stream', 'show', 'cams', '--json']);
  assert.equal([gone.code, gone.json.error.code], [1, 'NOT_FOUND']);
});

test('bad arguments: usage errors locally, typed errors from the server', async () => {
  const missing = await sheaf(['stream', 'create', 'x', '--broker', testBrokerUrl, '--topic', 't', '--dataset', 'cams']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, 'missing option --branch');
  const payload = await sheaf(['stream', 'create', 'x', '--broker', testBrokerUrl, '--topic', 't', '--dataset', 'cams', '--branch', 'b', '--payload', 'xml']);
  assert.is(payload.code, 2);
  const keep = await sheaf(['stream', 'create', 'x', '--broker', testBrokerUrl, '--topic', 't', '--dataset', 'cams', '--branch', 'b', '--keep', 'confidence<0.5', '--json']);
  assert.equal([keep.code, keep.json.error.code], [1, 'INVALID_KEEP_RULE']);
  const every = await sheaf(['stream', 'create', 'x', '--broker', testBrokerUrl, '--topic', 't', '--dataset', 'cams', '--branch', 'b', '--every', 'many']);
  assert.is(every.code, 2);
});

test.run();
