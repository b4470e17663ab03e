import { createHash, randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/databases.ts';
import { publisher, testBrokerUrl, uniqueTopic } from '../../helpers/mqtt-broker.ts';
import { startTestServer, type As, type TestServer } from '../../helpers/test-server.ts';

const STREAM_FIELDS = `name owner topic path payload keep
  state { status error messagesReceived itemsStaged itemsDropped duplicates deadLetterCount pendingItems itemsPerSecond lastCommit { id message author } lastCommitAt }`;

/**
 * Streams end to end on a real server, a real broker (Mosquitto) and the given database:
 * messages become committed items, malformed ones dead letters, duplicates nothing; the keep
 * rule drops; pause holds messages at the broker; permissions stop a stream.
 */
export function streamsSuite(kind: 'pglite' | 'postgres') {
  const test = suite(`streams (${kind})`);
  let api: TestServer;
  let scratch: ScratchDatabase | undefined;
  let pub: Awaited<ReturnType<typeof publisher>>;
  const tokens: Record<string, string> = {};

  test.before(async () => {
    try {
      scratch = kind === 'postgres' ? await createScratchDatabase() : undefined;
      api = await startTestServer({ databaseUrl: scratch?.url, maxBlobBytes: 4096 });
      pub = await publisher();
      await ok(`mutation { createDataset(project: "default", name: "cams") { ... on Dataset { name } } }`);
      const admin = (await api.server.services.identity.authenticate({ bearer: api.adminToken }))!.actor;
      const { identity } = api.server.services;
      for (const [user, role] of [['vic', 'viewer'], ['mia', 'maintainer']] as const) {
        await identity.createUser(admin, { name: user });
        await identity.setMember(admin, { project: 'default', user, role, branches: [] });
        tokens[user] = (await identity.createToken(admin, { name: 'streams', scopes: ['read', 'write'], user })).token;
      }
    } catch (error) {
      console.error(error);
      throw error;
    }
  });

  test.after(async () => {
    await pub?.endAsync();
    // Deleting the streams ends their broker sessions.
    const listed = await api.gql(`{ streams(project: "default") { edges { node { name } } } }`);
    for (const edge of listed.data?.streams.edges ?? []) await api.gql(`mutation($n: String!) { deleteStream(project: "default", name: $n) { ... on DeletedStream { name } } }`, { n: edge.node.name });
    await api?.close();
    await scratch?.drop();
  });

  async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, as?: As): Promise<T> {
    const result = await api.gql<T>(query, variables, as);
    if (result.errors || result.error) throw new Error(JSON.stringify(result.errors ?? result.error));
    for (const value of Object.values(result.data as object)) if (value && typeof value === 'object' && 'code' in value) throw new Error(JSON.stringify(value));
    return result.data as T;
  }

  async function createStream(name: string, args: Record<string, unknown>, as?: As) {
    const query = `mutation($name: String!, $topic: String!, $branch: String!, $path: String, $payload: StreamPayload, $every: Int, $seconds: Int, $keep: String, $max: Float) {
      createStream(project: "default", name: $name, broker: "${testBrokerUrl}", topic: $topic, dataset: "cams", branch: $branch, path: $path,
                   payload: $payload, every: $every, seconds: $seconds, keep: $keep, maxMessageBytes: $max) {
        __typename ... on Stream { ${STREAM_FIELDS} } ... on Error { code message }
      }
    }`;
    return (await api.gql(query, { name, ...args }, as)).data?.createStream;
  }

  const stream = async (name: string) => (await ok(`query($n: String!) { stream(project: "default", name: $n) { ... on Stream { ${STREAM_FIELDS} } } }`, { n: name })).stream;

  async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = await probe();
      if (done(value)) return value;
      if (Date.now() - started > 30_000) throw new Error(`${what}: still ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function items(branch: string): Promise<{ path: string; blob: string; meta: Record<string, unknown> }[]> {
    const data = await ok(`query($b: String!) { dataset(project: "default", name: "cams") { ... on Dataset { items(ref: $b, first: 500) { edges { node { path blob meta } } } } } }`, { b: branch });
    return data.dataset.items.edges.map((e: any) => e.node);
  }

  const connected = (name: string) => until(`${name} connects`, () => stream(name), (s) => s.state.status === 'connected');
  const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

  test('raw messages become items with their user properties as meta, committed in windows; a duplicate becomes nothing', async () => {
    const topic = uniqueTopic('raw');
    const created = await createStream('raw', { topic: `${topic}/+/frames`, branch: 'ingest', path: '{topic}/{seq}-{hash:12}.bin', every: 20, seconds: 1 });
    assert.is(created.__typename, 'Stream', JSON.stringify(created));
    assert.is(created.owner, 'admin');
    await connected('raw');
    const sent: string[] = [];
    for (let i = 0; i < 50; i++) {
      const payload = randomBytes(100);
      sent.push(sha(payload));
      await pub.send(`${topic}/cam${i % 3}/frames`, payload, { properties: { userProperties: { index: String(i), camera: `cam${i % 3}` } } });
    }
    // The same message again: recognized by its content, not stored twice.
    const again = Buffer.from('once');
    await pub.send(`${topic}/cam0/frames`, again, { properties: { userProperties: { index: 'dup' } } });
    await pub.send(`${topic}/cam0/frames`, again, { properties: { userProperties: { index: 'dup' } } });
    const state = (await until('all committed', () => stream('raw'), (s) => s.state.messagesReceived === 52 && s.state.pendingItems === 0)).state;
    assert.equal([state.itemsStaged, state.duplicates, state.deadLetterCount, state.status], [51, 1, 0, 'connected']);
    assert.is(state.lastCommit.author, 'admin', 'commits are made as the stream\'s owner');
    assert.match(state.lastCommit.message, /^Stream raw: \d+ item\(s\)/);
    const stored = await items('ingest');
    assert.is(stored.length, 51);
    assert.equal(new Set(stored.map((i) => i.blob)), new Set([...sent, sha(again)]));
    const first = stored.find((i) => i.blob === sent[0])!;
    assert.match(first.path, new RegExp(`^${topic}/cam0/frames/\\d{12}-${sent[0]!.slice(0, 12)}\\.bin$`));
    assert.equal(first.meta, { index: '0', camera: 'cam0' });
    const head = await ok(`{ dataset(project: "default", name: "cams") { ... on Dataset { branch(name: "ingest") { head { id } staged(first: 1) { edges { node { path } } } } } } }`);
    assert.is(head.dataset.branch.head.id, state.lastCommit.id);
    assert.equal(head.dataset.branch.staged.edges, [], 'everything is committed');
  });

  test('malformed messages go to the dead letters with their reason, are acknowledged, and the stream goes on', async () => {
    const topic = uniqueTopic('json');
    await createStream('envelopes', { topic, branch: 'envelopes', payload: 'json', path: 'e/{hash:16}', every: 100, seconds: 1, max: 2000 });
    await connected('envelopes');
    const good = (text: string, extra: object = {}) => JSON.stringify({ payload: Buffer.from(text).toString('base64'), meta: { text }, ...extra });
    const messages = [
      good('first'),
      '{not json',
      JSON.stringify({ payload: 'not base64!' }),
      JSON.stringify({ payload: Buffer.alloc(1500).toString('base64') }).padEnd(2100, ' '),
      good('escape', { path: '../outside' }),
      JSON.stringify({ payload: Buffer.alloc(1400, 7).toString('base64') }),
      good('named', { path: 'named/item.txt' }),
    ];
    // A blob over the server's 4 KiB limit needs a bigger message limit than this stream has; it
    // is refused like the others by the blob size check (see decode-message tests).
    for (const message of messages) await pub.send(topic, message);
    const state = (await until('all taken', () => stream('envelopes'), (s) => s.state.messagesReceived === messages.length && s.state.pendingItems === 0)).state;
    assert.equal([state.itemsStaged, state.deadLetterCount, state.status], [3, 4, 'connected']);
    const letters = await ok(`{ stream(project: "default", name: "envelopes") { ... on Stream { deadLetters(first: 10) { edges { node { topic reason payloadSize payloadSha256 headHex } } } } } }`);
    const reasons = letters.stream.deadLetters.edges.map((e: any) => e.node.reason);
    assert.match(reasons[0], /not JSON/);
    assert.match(reasons[1], /not base64/);
    assert.match(reasons[2], /2100 bytes, over the stream's limit of 2000/);
    assert.match(reasons[3], /envelope path is not a valid item path/);
    const bad = letters.stream.deadLetters.edges[0].node;
    assert.equal([bad.topic, bad.payloadSize, bad.payloadSha256, bad.headHex], [topic, 9, sha('{not json'), Buffer.from('{not json').toString('hex')]);
    const stored = await items('envelopes');
    assert.equal(stored.map((i) => i.path).sort(), ['e/' + sha(Buffer.alloc(1400, 7)).slice(0, 16), 'e/' + sha('first').slice(0, 16), 'named/item.txt'].sort());
  });

  test('the keep rule stores only interesting items and counts the others as dropped', async () => {
    const topic = uniqueTopic('keep');
    await createStream('edge', { topic, branch: 'hard', keep: 'meta.confidence<0.5 and meta.label!=background', every: 100, seconds: 1 });
    await connected('edge');
    const cases = [
      ['0.2', 'cat', true],
      ['0.9', 'cat', false],
      ['0.1', 'background', false],
      ['0.49', 'dog', true],
      ['high', 'dog', false],
    ] as const;
    for (const [confidence, label] of cases) await pub.send(topic, `${confidence}/${label}`, { properties: { userProperties: { confidence, label } } });
    const state = (await until('all taken', () => stream('edge'), (s) => s.state.messagesReceived === cases.length && s.state.pendingItems === 0)).state;
    assert.equal([state.itemsStaged, state.itemsDropped], [2, 3]);
    assert.equal((await items('hard')).map((i) => i.meta.confidence).sort(), ['0.2', '0.49']);
  });

  test('a paused stream leaves messages at the broker; resumed, it takes them', async () => {
    const topic = uniqueTopic('pause');
    await createStream('pausable', { topic, branch: 'paused', every: 100, seconds: 1 });
    await connected('pausable');
    await pub.send(topic, 'before');
    await until('first taken', () => stream('pausable'), (s) => s.state.messagesReceived === 1);
    const paused = await ok(`mutation { pauseStream(project: "default", name: "pausable") { ... on Stream { state { status pendingItems } } } }`);
    assert.equal(paused.pauseStream.state, { status: 'paused', pendingItems: 0 }, 'pausing commits what was staged');
    for (const text of ['during 1', 'during 2']) await pub.send(topic, text);
    assert.is((await stream('pausable')).state.messagesReceived, 1);
    const resumed = await ok(`mutation { resumeStream(project: "default", name: "pausable") { ... on Stream { state { status } } } }`);
    assert.ok(['connecting', 'connected'].includes(resumed.resumeStream.state.status));
    await until('queued ones taken', () => stream('pausable'), (s) => s.state.messagesReceived === 3 && s.state.pendingItems === 0);
    assert.is((await items('paused')).length, 3);
  });

  test('a viewer cannot create a stream; a stream whose owner leaves the project stops, keeping its messages at the broker', async () => {
    const topic = uniqueTopic('owner');
    const refused = await createStream('viewers', { topic, branch: 'ingest' }, { token: tokens.vic });
    assert.is(refused.code, 'FORBIDDEN');
    const created = await createStream('mias', { topic, branch: 'mia', every: 1, seconds: 1 }, { token: tokens.mia });
    assert.is(created.owner, 'mia');
    await connected('mias');
    await pub.send(topic, 'while mia is a member');
    await until('taken', () => stream('mias'), (s) => s.state.itemsStaged === 1 && s.state.pendingItems === 0);

    await ok(`mutation { removeMember(project: "default", user: "mia") { ... on RemovedMember { user } } }`);
    await pub.send(topic, 'after mia left');
    const stopped = (await until('stopped', () => stream('mias'), (s) => s.state.status === 'error')).state;
    assert.match(stopped.error, /owner may no longer write/);
    assert.is(stopped.messagesReceived, 1, 'the message that found no permission was not taken');
    const audit = await ok(`{ auditLog(project: "default", actor: "mia", outcome: "denied", first: 50) { edges { node { action outcome actor } } } }`);
    assert.ok(audit.auditLog.edges.some((e: any) => e.node.action === 'blob.upload'), 'the refusal is audited');

    // Resuming re-checks the owner: still refused.
    await ok(`mutation { resumeStream(project: "default", name: "mias") { ... on Stream { name } } }`);
    assert.is((await until('refused again', () => stream('mias'), (s) => s.state.status === 'error')).state.messagesReceived, 1);
    // Back in the project, the stream takes the message the broker kept.
    await ok(`mutation { setMember(project: "default", user: "mia", role: "maintainer") { ... on Member { role } } }`);
    await ok(`mutation { resumeStream(project: "default", name: "mias") { ... on Stream { name } } }`);
    await until('kept message taken', () => stream('mias'), (s) => s.state.itemsStaged === 2 && s.state.pendingItems === 0);
    assert.is((await items('mia')).length, 2);
  });

  test('streams are listed; deleting one stops it and forgets it', async () => {
    const names = (await ok(`{ streams(project: "default") { edges { node { name } } } }`)).streams.edges.map((e: any) => e.node.name);
    assert.equal(names, ['edge', 'envelopes', 'mias', 'pausable', 'raw']);
    const deleted = await ok(`mutation { deleteStream(project: "default", name: "edge") { ... on DeletedStream { name } } }`);
    assert.is(deleted.deleteStream.name, 'edge');
    const gone = await api.gql(`{ stream(project: "default", name: "edge") { __typename ... on Error { code } } }`);
    assert.is(gone.data.stream.code, 'NOT_FOUND');
    const viewer = await api.gql(`mutation { deleteStream(project: "default", name: "raw") { __typename ... on Error { code } } }`, {}, { token: tokens.vic });
    assert.is(viewer.data.deleteStream.code, 'FORBIDDEN');
  });

  return test;
}
