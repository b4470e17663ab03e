import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson, jsonEqual, type JsonValue } from '../../core/canonical-json.ts';
import { seededRandom } from '../helpers/random.ts';

const test = suite('jsonEqual');

function randomJson(random: () => number, depth = 0): JsonValue {
  const r = random();
  if (depth > 3 || r < 0.3) return [null, true, false, 0, 1, -1.5, 'a', 'b', ''][Math.floor(random() * 9)]!;
  if (r < 0.65) return Array.from({ length: Math.floor(random() * 3) }, () => randomJson(random, depth + 1));
  const out: Record<string, JsonValue> = {};
  for (const key of ['x', 'y', 'z'].filter(() => random() < 0.6)) out[key] = randomJson(random, depth + 1);
  return out;
}

test('agrees with comparing canonical encodings, whatever the key order', () => {
  const random = seededRandom(3);
  let equalPairs = 0;
  for (let i = 0; i < 5000; i++) {
    const a = randomJson(random);
    const b = random() < 0.5 ? (JSON.parse(JSON.stringify(a, Object.keys(a ?? {}).reverse())) as JsonValue) : randomJson(random);
    const expected = canonicalJson(a) === canonicalJson(b);
    if (expected) equalPairs++;
    assert.is(jsonEqual(a, b), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
  assert.ok(equalPairs > 500, 'the sample holds many equal pairs');
  assert.ok(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
  assert.not.ok(jsonEqual({ a: 1 }, { a: 1, b: 2 }));
  assert.not.ok(jsonEqual([1], { 0: 1 }));
  assert.not.ok(jsonEqual({ a: undefined } as never, { b: 1 } as never));
});

test.run();
