import { createHash, randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MqttSources } from '../../../adapters/mqtt/mqtt-sources.ts';
import type { BlobService } from '../../../services/blob-service.ts';
import type { MessageSources } from '../../../services/ingest/message-source.ts';
import type { StreamService } from '../../../services/ingest/stream-service.ts';
import type { StreamState } from '../../../services/ingest/stream-state.ts';
import { publisher, testBrokerUrl, uniqueTopic } from '../../helpers/mqtt-broker.ts';
import { openIngestFixture, PROJECT, type IngestFixture } from './ingest-fixture.ts';

/**
 * The two places a process can die inside a batch, made to happen on purpose with the real
 * broker and database: after staging but before the broker has the PUBACKs (the broker delivers
 * the messages again), and after the messages' rows are written but before their items are
 * staged (the rows say where they go).
 */
export function redeliverySuite(kind: 'pglite' | 'postgres') {
  const test = suite(`stream redelivery (${kind})`);
  let fx: IngestFixture;
  const mqtt = new MqttSources({ reconnectMs: 200 });

  test.before(async () => {
    fx = await openIngestFixture(kind);
    await fx.datasets.createDataset(fx.owner(), { project: PROJECT, dataset: 'd' });
  });
  test.after(async () => fx?.close());

  async function until(what: string, service: StreamService, name: string, done: (s: StreamState) => boolean): Promise<StreamState> {
    const started = Date.now();
    for (;;) {
      const state = await service.state(await service.get(fx.owner(), PROJECT, name));
      if (done(state)) return state;
      if (Date.now() - started > 20_000) throw new Error(`${what}: ${JSON.stringify(state)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function branchItems(branch: string) {
    return fx.datasets.listItems(fx.owner(), { project: PROJECT, dataset: 'd' }, branch, { limit: 1000 });
  }

  async function publish(topic: string, count: number): Promise<string[]> {
    const pub = await publisher();
    const hashes: string[] = [];
    for (let i = 0; i < count; i++) {
      const payload = randomBytes(64);
      hashes.push(createHash('sha256').update(payload).digest('hex'));
      await pub.send(`${topic}/dev`, payload);
    }
    await pub.endAsync();
    return hashes;
  }

  test('PUBACKs lost with the process: the messages delivered again are recognized, not stored twice', async () => {
    const topic = uniqueTopic('lost-acks');
    const acks = { lost: true };
    // The real broker; only the acknowledgements are withheld, as when the process dies after staging.
    const lossy: MessageSources = {
      open(options) {
        const source = mqtt.open(options);
        return {
          start: (handlers) => source.start({ ...handlers, message: (m) => handlers.message({ ...m, ack: () => (acks.lost ? undefined : m.ack()) }) }),
          stop: () => source.stop(),
        };
      },
      discardSession: (options) => mqtt.discardSession(options),
    };
    const first = fx.streams(lossy);
    const config = { broker: testBrokerUrl, topic: `${topic}/+`, dataset: 'd', branch: 'lossy', path: '{topic}/{timestamp}-{seq}.bin', every: 10, seconds: 3600 };
    const record = await first.service.create(fx.owner(), PROJECT, 'lossy', config);
    await until('connected', first.service, 'lossy', (s) => s.status === 'connected');
    const sent = await publish(topic, 10);
    await until('ten committed', first.service, 'lossy', (s) => s.counters.staged === 10 && s.pendingItems === 0);
    sent.push(...(await publish(topic, 5)));
    const before = await until('five more staged', first.service, 'lossy', (s) => s.counters.staged === 15);
    assert.equal([before.pendingItems, before.counters.duplicates], [5, 0], 'ten committed, five staged');
    const paths = (await branchItems('lossy')).map((i) => i.path).sort();
    assert.is(paths.length, 15);
    // The process ends without committing or acknowledging anything more.
    await first.runners.stop(record.id, { commit: false });

    acks.lost = false;
    const second = fx.streams(lossy);
    await second.runners.startAll();
    const after = await until('delivered again', second.service, 'lossy', (s) => s.counters.duplicates === 15);
    assert.equal([after.counters.staged, after.counters.messages, after.pendingItems], [15, 30, 5], 'nothing new staged; the five still pending are known');
    await second.service.pause(fx.owner(), PROJECT, 'lossy');
    const items = await branchItems('lossy');
    assert.equal(items.map((i) => i.path).sort(), paths, 'the same items at the same paths');
    assert.equal(new Set(items.map((i) => i.blob)), new Set(sent));
    const head = await fx.datasets.listStaged(fx.owner(), { project: PROJECT, dataset: 'd' }, 'lossy', { limit: 10 });
    assert.equal(head, [], 'pausing committed the rest');
    await second.service.remove(fx.owner(), PROJECT, 'lossy');
  });

  test('a batch that fails after its messages were recorded is retried at the recorded paths', async () => {
    const topic = uniqueTopic('retry');
    let failed = false;
    const flaky = Object.assign(Object.create(fx.blobs) as BlobService, {
      putMany: (...args: Parameters<BlobService['putMany']>) => {
        if (!failed) {
          failed = true;
          return Promise.reject(new Error('the disk went away'));
        }
        return fx.blobs.putMany(...args);
      },
    });
    const { runners, service } = fx.streams(mqtt);
    // The runners are built with the fixture's blob service; this stream's own runner uses the flaky one.
    const config = { broker: testBrokerUrl, topic: `${topic}/+`, dataset: 'd', branch: 'retry', path: 'r/{timestamp}-{seq}.bin', every: 1000, seconds: 1 };
    const record = await service.create(fx.owner(), PROJECT, 'retry', config);
    await runners.stop(record.id, { commit: false });
    const { StreamRunners } = await import('../../../services/ingest/stream-runners.ts');
    const { SILENT_LOG } = await import('../../../services/ingest/ingest-log.ts');
    const own = new StreamRunners({ store: fx.store, blobs: flaky, datasets: fx.datasets, access: fx.access, sources: mqtt, log: SILENT_LOG });
    await own.start((await fx.store.getById(record.id))!);
    const sent = await publish(topic, 5);
    const state = await (async () => {
      const started = Date.now();
      for (;;) {
        const s = await own.stateOf((await fx.store.getById(record.id))!);
        if (s.counters.staged === 5 && s.pendingItems === 0) return s;
        if (Date.now() - started > 20_000) throw new Error(JSON.stringify(s));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    assert.ok(failed, 'the first attempt failed');
    assert.equal([state.counters.messages, state.counters.duplicates], [5, 0]);
    const items = await branchItems('retry');
    assert.equal(new Set(items.map((i) => i.blob)), new Set(sent));
    const recorded = await fx.database.db.selectFrom('stream_messages').select(['path', 'state']).where('stream_id', '=', record.id).execute();
    assert.equal(recorded.map((r) => r.path).sort(), items.map((i) => i.path).sort(), 'staged where the first attempt recorded them');
    assert.ok(recorded.every((r) => r.state === 'staged'));
    await own.close();
    await service.remove(fx.owner(), PROJECT, 'retry');
  });

  return test;
}
