import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError, InvalidNameError, KeepRuleError, PathTemplateError } from '../../../core/errors.ts';
import { parseBrokerUrl, parseStreamConfig, parseStreamName, parseTopicFilter } from '../../../services/ingest/stream-config.ts';

const test = suite('stream configuration');
const BASE = { broker: 'mqtt://127.0.0.1:1883', topic: 'cams/+/frames', dataset: 'cams', branch: 'ingest' };
const LIMITS = { maxBlobBytes: 5 * 1024 ** 3 };

test('fills in defaults', () => {
  assert.equal(parseStreamConfig(BASE, LIMITS), {
    ...BASE,
    path: '{topic}/{timestamp}-{hash:16}',
    payload: 'raw',
    every: 1000,
    seconds: 10,
    keep: null,
    maxMessageBytes: 16 * 1024 * 1024,
  });
  assert.is(parseStreamConfig(BASE, { maxBlobBytes: 1000 }).maxMessageBytes, 1000, 'never above the blob limit');
});

test('refuses bad values with typed errors', () => {
  const cases: [object, new (...args: never[]) => Error, RegExp][] = [
    [{ broker: 'http://x' }, InvalidInputError, /mqtt:\/\/ or mqtts:\/\//],
    [{ broker: 'mqtt://user:secret@host' }, InvalidInputError, /credentials/],
    [{ broker: 'mqtt://host/path' }, InvalidInputError, /only mqtt/],
    [{ topic: 'a/#/b' }, InvalidInputError, /"#" must be the whole last level/],
    [{ topic: 'a/b+' }, InvalidInputError, /"\+" must be a whole level/],
    [{ topic: '' }, InvalidInputError, /empty/],
    [{ dataset: '../x' }, InvalidNameError, /dataset name/],
    [{ payload: 'xml' }, InvalidInputError, /raw, json/],
    [{ every: 0 }, InvalidInputError, /every/],
    [{ seconds: 1.5 }, InvalidInputError, /seconds/],
    [{ path: '{nope}' }, PathTemplateError, /unknown placeholder/],
    [{ keep: 'confidence<0.5' }, KeepRuleError, /expected a field/],
    [{ maxMessageBytes: 6 * 1024 ** 3 }, InvalidInputError, /max message bytes/],
  ];
  for (const [change, kind, reason] of cases)
    assert.throws(() => parseStreamConfig({ ...BASE, ...change }, LIMITS), (e: unknown) => e instanceof kind && reason.test((e as Error).message), JSON.stringify(change));
});

test('broker URLs are normalized; topic filters follow MQTT', () => {
  assert.is(parseBrokerUrl('mqtt://Example.org:1883/'), 'mqtt://example.org:1883');
  assert.is(parseBrokerUrl('mqtts://broker'), 'mqtts://broker');
  for (const topic of ['#', 'a/+/c', '+', 'a/b/#', '$share/g/a/#']) assert.is(parseTopicFilter(topic), topic);
});

test('stream names', () => {
  assert.is(parseStreamName('cams-1.edge_2'), 'cams-1.edge_2');
  for (const name of ['', '-x', 'a/b', 'x'.repeat(65), 'a.', 'a b']) assert.throws(() => parseStreamName(name), (e: unknown) => e instanceof InvalidNameError, name);
});

test.run();
