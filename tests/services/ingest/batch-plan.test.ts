import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planBatch, type BatchRules } from '../../../services/ingest/batch-plan.ts';
import { parseKeepRule } from '../../../services/ingest/keep-rule.ts';
import { messageKey } from '../../../services/ingest/message-key.ts';
import type { SourceMessage } from '../../../services/ingest/message-source.ts';
import { parsePathTemplate } from '../../../services/ingest/path-template.ts';
import { STREAM_PLACEHOLDERS } from '../../../services/ingest/stream-config.ts';
import type { SeenMessage } from '../../../services/ingest/stream-store.ts';

const test = suite('planning a batch');
const AT = new Date('2024-05-01T12:30:45.123Z');

const message = (topic: string, payload: string, userProperties: Record<string, string> = {}): SourceMessage => ({
  topic,
  payload: Buffer.from(payload),
  userProperties,
  contentType: undefined,
  redelivered: false,
  receivedAt: AT,
  ack: () => {},
});
const rules = (path: string, keep?: string): BatchRules => ({
  payload: 'raw',
  limits: { maxMessageBytes: 100, maxBlobBytes: 100 },
  template: parsePathTemplate(path, STREAM_PLACEHOLDERS),
  keep: keep === undefined ? null : parseKeepRule(keep),
  clientId: 'sheaf-0123456789abcdef',
});
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function plan(batch: SourceMessage[], seen: Map<string, SeenMessage>, batchRules: BatchRules) {
  const asked: number[] = [];
  const result = await planBatch(batch, batch.map(messageKey), seen, batchRules, async (count) => (asked.push(count), 41));
  return { ...result, asked };
}

test('new messages get paths from the template; numbers are asked once, for the items that use {seq}', async () => {
  const batch = [message('cams/1', 'a', { confidence: '0.1' }), message('cams/2', 'b', { confidence: '0.9' }), message('cams/1', 'c', { confidence: '0.2' })];
  const result = await plan(batch, new Map(), rules('{topic}/{timestamp}-{seq}-{hash:8}-{clientId}', 'meta.confidence<0.5'));
  assert.equal(result.asked, [2], 'the dropped one takes no number');
  assert.equal(result.items.map((i) => i.path), [
    `cams/1/2024-05-01T123045.123Z-000000000041-${sha('a').slice(0, 8)}-sheaf-0123456789abcdef`,
    `cams/1/2024-05-01T123045.123Z-000000000042-${sha('c').slice(0, 8)}-sheaf-0123456789abcdef`,
  ]);
  assert.equal(result.items[0]!.meta, { confidence: '0.1' });
  assert.equal(result.taken.map((t) => t.state), ['pending', 'dropped', 'pending']);
  assert.equal([result.dropped, result.duplicates, result.deadLetters.length], [1, 0, 0]);
});

test('seen messages: pending ones are staged at their recorded path, finished ones and second copies are duplicates', async () => {
  const [pending, staged, dead, fresh] = [message('t', 'pending'), message('t', 'staged'), message('t', 'dead'), message('t', 'fresh')];
  const seen = new Map<string, SeenMessage>([
    [messageKey(pending), { state: 'pending', path: 'recorded/path.bin' }],
    [messageKey(staged), { state: 'staged', path: 'x' }],
    [messageKey(dead), { state: 'dead', path: null }],
  ]);
  const result = await plan([pending, staged, dead, fresh, message('t', 'fresh')], seen, rules('{topic}/{hash}'));
  assert.equal(result.items.map((i) => i.path), ['recorded/path.bin', `t/${sha('fresh')}`]);
  assert.is(result.items[0]!.hash, sha('pending'));
  assert.equal(result.taken.map((t) => t.key), [messageKey(fresh)], 'only the new message gets a row');
  assert.is(result.duplicates, 3);
  assert.equal(result.asked, [], 'no {seq}: no numbers asked');
});

test('undecodable messages and paths the topic makes invalid become dead letters', async () => {
  const result = await plan([message('a//b', 'x'), message('ok', 'y'.repeat(101))], new Map(), rules('{topic}/{hash:8}'));
  assert.equal(result.items, []);
  assert.equal(result.taken.map((t) => [t.state, t.path]), [['dead', null], ['dead', null]]);
  assert.match(result.deadLetters[0]!.reason, /path template gives no valid path.*empty segment/);
  assert.match(result.deadLetters[1]!.reason, /101 bytes, over the stream's limit of 100/);
  assert.equal([result.deadLetters[0]!.topic, result.deadLetters[0]!.payloadSize, result.deadLetters[0]!.headHex], ['a//b', 1, '78']);
});

test.run();
