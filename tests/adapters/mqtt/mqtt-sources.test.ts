import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MqttSources } from '../../../adapters/mqtt/mqtt-sources.ts';
import type { SourceMessage } from '../../../services/ingest/message-source.ts';
import { publisher, testBrokerUrl, uniqueTopic } from '../../helpers/mqtt-broker.ts';

const test = suite('MQTT message sources (Mosquitto)');
const sources = new MqttSources({ reconnectMs: 200 });

/** Runs a source until `count` messages arrived; returns them (unacknowledged unless `ack` says). */
async function receive(clientId: string, topic: string, count: number, ack: (m: SourceMessage, index: number) => boolean, publish?: () => Promise<void>) {
  const source = sources.open({ broker: testBrokerUrl, topic, clientId });
  const got: SourceMessage[] = [];
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  source.start({
    message: (m) => {
      got.push(m);
      if (got.length === count) done();
    },
    connection: (c) => c.state === 'connected' && connected(),
  });
  await ready;
  if (publish) {
    // The subscription is made on the first connection; give the broker its SUBACK first.
    await new Promise((r) => setTimeout(r, 200));
    await publish();
  }
  await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error(`got ${got.length} of ${count}`)), 10_000))]);
  got.forEach((m, i) => ack(m, i) && m.ack());
  // Let the acknowledgements leave before disconnecting.
  await new Promise((r) => setTimeout(r, 200));
  await source.stop();
  return got;
}

test('acknowledged messages are gone; unacknowledged ones come again to the same client id', async () => {
  const topic = uniqueTopic('sources');
  const clientId = `sheaf-t-${randomBytes(6).toString('hex')}`;
  const pub = await publisher();
  try {
    const first = await receive(clientId, `${topic}/#`, 4, (_, i) => i < 2, async () => {
      for (let i = 0; i < 4; i++) await pub.send(`${topic}/m`, `m${i}`, { properties: { userProperties: { n: String(i) }, contentType: 'text/plain' } });
    });
    assert.equal(first.map((m) => Buffer.from(m.payload).toString()), ['m0', 'm1', 'm2', 'm3']);
    assert.equal(first[2]!.userProperties, { n: '2' });
    assert.is(first[2]!.contentType, 'text/plain');
    const again = await receive(clientId, `${topic}/#`, 2, () => true);
    assert.equal(again.map((m) => Buffer.from(m.payload).toString()), ['m2', 'm3'], 'the two not acknowledged');
    assert.ok(again.every((m) => m.redelivered), 'marked as delivered before');
  } finally {
    await pub.endAsync();
    await sources.discardSession({ broker: testBrokerUrl, clientId });
  }
});

test('acknowledgements go out in arrival order: one acknowledged behind an unacknowledged one waits', async () => {
  const topic = uniqueTopic('order');
  const clientId = `sheaf-t-${randomBytes(6).toString('hex')}`;
  const pub = await publisher();
  try {
    await receive(clientId, topic, 3, (_, i) => i !== 0, async () => {
      for (let i = 0; i < 3; i++) await pub.send(topic, `m${i}`);
    });
    const again = await receive(clientId, topic, 3, () => true);
    assert.equal(again.map((m) => Buffer.from(m.payload).toString()), ['m0', 'm1', 'm2']);
  } finally {
    await pub.endAsync();
    await sources.discardSession({ broker: testBrokerUrl, clientId });
  }
});

test('the session keeps messages published while the source is stopped; discarding it drops them', async () => {
  const topic = uniqueTopic('session');
  const clientId = `sheaf-t-${randomBytes(6).toString('hex')}`;
  const pub = await publisher();
  try {
    await receive(clientId, topic, 1, () => true, () => pub.send(topic, 'first'));
    await pub.send(topic, 'while stopped');
    const queued = await receive(clientId, topic, 1, () => false);
    assert.is(Buffer.from(queued[0]!.payload).toString(), 'while stopped');
    await sources.discardSession({ broker: testBrokerUrl, clientId });
    // A fresh session with no subscription: nothing arrives, not even the message it never acknowledged.
    const source = sources.open({ broker: testBrokerUrl, topic: `${topic}/never`, clientId });
    let arrived = 0;
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    source.start({ message: () => void arrived++, connection: (c) => c.state === 'connected' && connected() });
    await ready;
    await new Promise((r) => setTimeout(r, 500));
    await source.stop();
    assert.is(arrived, 0);
  } finally {
    await pub.endAsync();
    await sources.discardSession({ broker: testBrokerUrl, clientId });
  }
});

test('a source stopped while still connecting leaves no client behind to take the session over', async () => {
  const topic = uniqueTopic('early-stop');
  const clientId = `sheaf-t-${randomBytes(6).toString('hex')}`;
  const early = sources.open({ broker: testBrokerUrl, topic, clientId });
  early.start({ message: () => {}, connection: () => {} });
  await early.stop();
  const pub = await publisher();
  try {
    const events: string[] = [];
    const got: string[] = [];
    const source = sources.open({ broker: testBrokerUrl, topic, clientId });
    source.start({ message: (m) => void got.push(Buffer.from(m.payload).toString()), connection: (c) => events.push(c.state) });
    while (!events.includes('connected')) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    await pub.send(topic, 'hello');
    while (got.length === 0) await new Promise((r) => setTimeout(r, 20));
    // A client left over from the first source would connect with the same id and push this one off.
    await new Promise((r) => setTimeout(r, 1000));
    const before = [...events];
    await source.stop();
    assert.equal(got, ['hello']);
    assert.equal(before, ['connected'], 'connected once, never pushed off');
  } finally {
    await pub.endAsync();
    await sources.discardSession({ broker: testBrokerUrl, clientId });
  }
});

test('an unreachable broker is reported as disconnected with a reason, and retried', async () => {
  const source = new MqttSources({ reconnectMs: 100, connectTimeoutMs: 500 }).open({ broker: 'mqtt://127.0.0.1:1', topic: 't', clientId: `sheaf-t-${randomBytes(6).toString('hex')}` });
  const reasons: string[] = [];
  source.start({ message: () => {}, connection: (c) => c.state === 'disconnected' && reasons.push(c.reason) });
  while (reasons.length < 2) await new Promise((r) => setTimeout(r, 50));
  await source.stop();
  assert.match(reasons[0]!, /ECONNREFUSED/);
});

test.run();
