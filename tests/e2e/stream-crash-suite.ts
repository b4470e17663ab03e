import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.ts';
import { testBrokerUrl, uniqueTopic } from '../helpers/mqtt-broker.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const TOTAL = 10_000;
/**
 * Messages published ahead of what the stream has taken. Mosquitto keeps at most 1,000 queued
 * QoS 1 messages per session by default (max_queued_messages) and drops the rest, acknowledged
 * to the publisher or not; staying below that keeps the test about Sheaf, not the broker's
 * limit, while the server is down.
 */
const WINDOW = 800;
const KILL_AT = [3000, 7000];

/**
 * The durability promise, with `sheaf serve` as a child process: QoS 1 messages published while
 * the server is SIGKILLed twice mid-stream all end up as items exactly once. The path template
 * has no content hash ({timestamp}-{seq} of first receipt), so only the stream's record of
 * seen messages keeps a redelivered message from becoming a second item.
 */
export function streamCrashSuite(kind: 'pglite' | 'postgres') {
  const test = suite(`stream ingest survives SIGKILL (${kind})`);
  let dataDir: string;
  let scratch: ScratchDatabase | undefined;
  let server: ServerProcess | undefined;

  test.before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sheaf-stream-crash-'));
    scratch = kind === 'postgres' ? await createScratchDatabase() : undefined;
  });
  test.after(async () => {
    await server?.kill();
    await rm(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  });

  test(`${TOTAL} messages, two SIGKILLs: every acknowledged message is an item, exactly once`, async () => {
    const env = { DATABASE_URL: scratch?.url ?? '' };
    server = await startServerProcess(dataDir, env);
    const token = server.bootstrapToken!;
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${server!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const topic = uniqueTopic('crash');
    await gql(`mutation { createDataset(project: "default", name: "frames") { ... on Dataset { name } } }`);
    const created = await gql(`mutation($topic: String!, $broker: String!) {
      createStream(project: "default", name: "edge", broker: $broker, topic: $topic, dataset: "frames", branch: "ingest",
                   path: "{topic}/{timestamp}-{seq}.bin", every: 500, seconds: 2) { __typename ... on Error { message } }
    }`, { topic: `${topic}/+`, broker: testBrokerUrl });
    assert.is(created.createStream.__typename, 'Stream', JSON.stringify(created));
    const state = async () => (await gql(`{ stream(project: "default", name: "edge") { ... on Stream { state { status messagesReceived itemsStaged duplicates pendingItems deadLetterCount } } } }`)).stream.state;
    while ((await state()).status !== 'connected') await sleep(50);

    // The distinct messages the stream has taken, polled; unchanged while the server is down.
    // Redeliveries after a kill are counted apart (duplicates): counting them too would let the
    // publisher run that many further ahead of the broker's queue limit (see WINDOW).
    let taken = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        try {
          const now = await state();
          taken = now.messagesReceived - now.duplicates;
        } catch {
          // The server is down or starting: the last value stands.
        }
        await sleep(50);
      }
    })();

    let acknowledged = 0;
    const kills: { at: number; published: number }[] = [];
    const crasher = (async () => {
      for (const at of KILL_AT) {
        while (taken < at) await sleep(10);
        kills.push({ at: taken, published: acknowledged });
        await server!.kill();
        server = await startServerProcess(dataDir, env);
      }
    })();

    const expected = new Set<string>();
    try {
      const publisher = await connectAsync(testBrokerUrl, { protocolVersion: 5, clientId: `sheaf-test-pub-${randomBytes(6).toString('hex')}` });
      const inFlight = new Set<Promise<void>>();
      for (let i = 0; i < TOTAL; i++) {
        while (i - taken >= WINDOW) await sleep(5);
        const payload = Buffer.concat([Buffer.from(`${i}:`), randomBytes(200)]);
        expected.add(createHash('sha256').update(payload).digest('hex'));
        const published: Promise<void> = publisher.publishAsync(`${topic}/dev${i % 10}`, payload, { qos: 1 }).then(() => {
          acknowledged++;
          inFlight.delete(published);
        });
        inFlight.add(published);
        if (inFlight.size >= 200) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      await publisher.endAsync();
      assert.is(acknowledged, TOTAL, 'the broker acknowledged every message');
      await crasher;
      assert.equal(kills.length, KILL_AT.length);
      for (const kill of kills) assert.ok(kill.published < TOTAL, `killed at ${kill.at} taken, ${kill.published} published: mid-stream`);

      // Everything arrives and is committed.
      const started = Date.now();
      for (;;) {
        const branch = await gql(`{ dataset(project: "default", name: "frames") { ... on Dataset { branch(name: "ingest") { head { snapshot { itemCount } } staged(first: 1) { edges { node { path } } } } } } }`).catch(() => null);
        if (branch?.dataset.branch.head.snapshot.itemCount >= TOTAL && branch.dataset.branch.staged.edges.length === 0) break;
        if (Date.now() - started > 180_000) throw new Error(`not all committed: ${JSON.stringify(branch)} ${JSON.stringify(await state())}`);
        await sleep(200);
      }
    } finally {
      // Also when an assertion above fails: a poller left running would keep the process alive.
      polling = false;
      await poller;
    }

    const paths = new Set<string>();
    const blobs: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await gql(`query($after: String) { dataset(project: "default", name: "frames") { ... on Dataset { items(ref: "ingest", first: 500, after: $after) { edges { node { path blob } } pageInfo { hasNextPage endCursor } } } } }`, { after });
      for (const { node } of page.dataset.items.edges) {
        paths.add(node.path);
        blobs.push(node.blob);
      }
      if (!page.dataset.items.pageInfo.hasNextPage) break;
      after = page.dataset.items.pageInfo.endCursor;
    }
    assert.is(blobs.length, TOTAL, 'one item per message');
    assert.is(paths.size, TOTAL);
    assert.is(new Set(blobs).size, TOTAL, 'no message stored twice');
    assert.ok(blobs.every((b) => expected.has(b)), 'every item is a published message');
    const final = await state();
    assert.equal([final.status, final.deadLetterCount, final.pendingItems], ['connected', 0, 0]);

    await gql(`mutation { deleteStream(project: "default", name: "edge") { ... on DeletedStream { name } } }`);
    const code = await server.stop();
    assert.is(code, 0, server.output());
  });

  return test;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
