import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { FsBlobStore } from '../adapters/blob/fs-blob-store.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { createScratchDatabase } from '../tests/helpers/databases.ts';
import { target, type BenchResult } from './result.ts';
import type { BenchDatabase } from './versioning.ts';

const BROKER = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
/**
 * Messages published ahead of what the subscriber has taken. Mosquitto queues at most 1,000
 * QoS 1 messages per session by default and drops what is beyond, so an open-loop publisher
 * would measure the broker's limit, not the subscriber.
 */
const WINDOW = 800;
const PUBLISHES_IN_FLIGHT = 200;

/**
 * MQTT ingest through a stream on a real server (in this process) and Mosquitto, QoS 1, for
 * small and large payloads: messages per second from the first publish until every message is
 * acknowledged by the stream (stored and staged), and until committed. Zero loss is checked by
 * counting the committed items. The baseline, measured in the same run, is the broker round
 * trip of the same messages to a plain mqtt.js subscriber (QoS 1, persistent session) that
 * does nothing with them.
 */
export async function benchIngest(options: { large: boolean; database: BenchDatabase; workDir: string; log?: (line: string) => void }): Promise<BenchResult[]> {
  const log = options.log ?? (() => {});
  const scale = options.large ? 5 : 1;
  const cases = [
    { label: '1 KiB', bytes: 1024, count: 10_000 * scale },
    { label: '100 KiB', bytes: 100 * 1024, count: 2_000 * scale },
  ];
  await mkdir(options.workDir, { recursive: true });
  const work = await mkdtemp(join(options.workDir, 'ingest-'));
  const scratch = options.database === 'postgres' ? await createScratchDatabase() : undefined;
  const server = await startServer(loadConfig({}, { port: 0, dataDir: join(work, 'server'), logLevel: 'silent', databaseUrl: scratch?.url }));
  const admin = (await server.services.identity.authenticate({ bearer: server.bootstrapToken! }))!.actor;
  const publisher = await connectAsync(BROKER, { protocolVersion: 5, clientId: `sheaf-bench-pub-${randomBytes(6).toString('hex')}` });
  try {
    const results: BenchResult[] = [];
    await server.services.datasets.createDataset(admin, { project: 'default', dataset: 'ingest' });
    for (const { label, bytes, count } of cases) {
      const payloads = Array.from({ length: count }, (_, i) => Buffer.concat([Buffer.from(`${i}:`), randomBytes(bytes - String(i).length - 1)]));

      log(`baseline: ${count} × ${label} to a plain subscriber…`);
      const baseline = await plainSubscriberRun(publisher, payloads);
      log(`durable blob puts of the same payloads…`);
      const blobRate = await durablePutRate(join(work, `blobs-${bytes}`), payloads);

      log(`sheaf stream (${options.database}): ${count} × ${label}…`);
      const topic = `sheaf-bench/${randomBytes(6).toString('hex')}`;
      const name = `bench-${bytes}`;
      const stream = await server.services.streams.create(admin, 'default', name, {
        broker: BROKER,
        topic: `${topic}/+`,
        dataset: 'ingest',
        branch: name,
        path: '{topic}/{seq}.bin',
        every: 5000,
        seconds: 5,
      });
      const state = () => server.services.streams.state(stream);
      while ((await state()).status !== 'connected') await sleep(20);
      const before = (await state()).counters.messages;
      let taken = 0;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          taken = (await state()).counters.messages - before;
          await sleep(2);
        }
      })();
      const started = performance.now();
      await publishAll(publisher, topic, payloads, () => taken);
      while (taken < count) await sleep(2);
      const ackedMs = performance.now() - started;
      polling = false;
      await poller;
      while ((await state()).pendingItems > 0) await sleep(20);
      const committedMs = performance.now() - started;
      const branch = await server.services.datasets.getBranch(admin, { project: 'default', dataset: 'ingest' }, name);
      const head = await server.services.datasets.getCommit(admin, 'default', branch.head);
      const stored = (await server.services.datasets.snapshotTotals(admin, 'default', head.snapshot)).count;
      await server.services.streams.remove(admin, 'default', name);

      const rate = (count / ackedMs) * 1000;
      results.push({
        name: `MQTT ingest, ${label} messages, QoS 1 (${options.database})`,
        value: rate,
        unit: 'messages/s',
        baseline: { name: 'broker round trip to a plain subscriber', value: baseline.rate },
        ratio: rate / baseline.rate,
        target: target(`zero loss: ${count} items committed`, stored === count && baseline.received === count),
        note:
          `stored and acknowledged in ${(ackedMs / 1000).toFixed(1)} s, all committed after ${(committedMs / 1000).toFixed(1)} s; ${((count * bytes) / ackedMs / 1000).toFixed(1)} MB/s; ` +
          `the blob store alone makes ${blobRate.toFixed(0)} of these blobs durable per second (temp file, fsync, rename; 32 at once)`,
      });
    }
    return results;
  } finally {
    await publisher.endAsync();
    await server.close();
    await scratch?.drop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Blobs per second FsBlobStore makes durable, 32 puts at once, as putMany runs them: the floor under ingest. */
async function durablePutRate(root: string, payloads: Buffer[]): Promise<number> {
  const store = new FsBlobStore({ root });
  const inFlight = new Set<Promise<unknown>>();
  const started = performance.now();
  for (const payload of payloads) {
    const put: Promise<unknown> = store.put(payload).finally(() => inFlight.delete(put));
    inFlight.add(put);
    if (inFlight.size >= 32) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return (payloads.length / (performance.now() - started)) * 1000;
}

/** The same messages to a subscriber that only counts them (mqtt.js acknowledges each as it arrives). */
async function plainSubscriberRun(publisher: MqttClient, payloads: Buffer[]): Promise<{ rate: number; received: number }> {
  const topic = `sheaf-bench/${randomBytes(6).toString('hex')}`;
  const clientId = `sheaf-bench-sub-${randomBytes(6).toString('hex')}`;
  const subscriber = await connectAsync(BROKER, { protocolVersion: 5, clientId, clean: false, properties: { sessionExpiryInterval: 300, receiveMaximum: 1000 } });
  let received = 0;
  subscriber.on('message', () => void received++);
  await subscriber.subscribeAsync(`${topic}/+`, { qos: 1 });
  const started = performance.now();
  await publishAll(publisher, topic, payloads, () => received);
  while (received < payloads.length) await sleep(5);
  const ms = performance.now() - started;
  await subscriber.endAsync();
  // End the session at the broker.
  const cleanup = await connectAsync(BROKER, { protocolVersion: 5, clientId, clean: true, properties: { sessionExpiryInterval: 0 } });
  await cleanup.endAsync();
  return { rate: (payloads.length / ms) * 1000, received };
}

/** Publishes at QoS 1, at most WINDOW ahead of `taken()`, and resolves when the broker acknowledged all. */
async function publishAll(publisher: MqttClient, topic: string, payloads: Buffer[], taken: () => number): Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < payloads.length; i++) {
    while (i - taken() >= WINDOW) await sleep(1);
    const sent: Promise<unknown> = publisher.publishAsync(`${topic}/d${i % 8}`, payloads[i]!, { qos: 1 }).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    if (inFlight.size >= PUBLISHES_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
