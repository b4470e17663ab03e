import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KeepRuleError } from '../../../core/errors.ts';
import { keeps, parseKeepRule } from '../../../services/ingest/keep-rule.ts';

const test = suite('keep rule');

const keep = (rule: string, meta: unknown) => keeps(parseKeepRule(rule), meta);

test('parses clauses joined by and, with every operator and literal kind', () => {
  const rule = parseKeepRule('meta.confidence<0.5 and meta.label != background AND meta.model.name="yolo v8" and meta.ok==true and meta.x>=-1e3 and meta.y<=2 and meta.z>0 and meta.n=null');
  assert.equal(rule.clauses, [
    { field: ['confidence'], op: '<', value: 0.5 },
    { field: ['label'], op: '!=', value: 'background' },
    { field: ['model', 'name'], op: '=', value: 'yolo v8' },
    { field: ['ok'], op: '=', value: true },
    { field: ['x'], op: '>=', value: -1000 },
    { field: ['y'], op: '<=', value: 2 },
    { field: ['z'], op: '>', value: 0 },
    { field: ['n'], op: '=', value: null },
  ]);
});

test('numeric comparisons: numbers and numeric strings (MQTT user properties are strings)', () => {
  assert.ok(keep('meta.confidence<0.5', { confidence: 0.3 }));
  assert.ok(keep('meta.confidence<0.5', { confidence: '0.3' }));
  assert.not.ok(keep('meta.confidence<0.5', { confidence: 0.5 }));
  assert.ok(keep('meta.confidence<=0.5', { confidence: 0.5 }));
  assert.ok(keep('meta.score>=10', { score: '1e1' }));
  assert.not.ok(keep('meta.confidence<0.5', { confidence: 'low' }), 'a non-numeric value never compares');
  assert.not.ok(keep('meta.confidence<0.5', {}), 'a missing field makes a comparison false');
  assert.not.ok(keep('meta.confidence<0.5', { confidence: null }));
  assert.not.ok(keep('meta.confidence<0.5', { confidence: [0.1] }));
});

test('equality: strings, numbers with their string forms, booleans, null; != holds for a missing field', () => {
  assert.ok(keep('meta.label!=background', { label: 'cat' }));
  assert.not.ok(keep('meta.label!=background', { label: 'background' }));
  assert.ok(keep('meta.label!=background', {}), 'missing is not "background"');
  assert.not.ok(keep('meta.label=background', {}));
  assert.ok(keep('meta.count=5', { count: '5' }));
  assert.ok(keep('meta.count=5', { count: 5 }));
  assert.not.ok(keep('meta.count="5"', { count: 5 }), 'a quoted literal is a string');
  assert.ok(keep('meta.ok=true', { ok: 'true' }));
  assert.ok(keep('meta.gone=null', { gone: null }));
  assert.not.ok(keep('meta.gone=null', {}));
});

test('nested fields, and every clause must hold', () => {
  const rule = 'meta.model.confidence<0.5 and meta.label!=background';
  assert.ok(keep(rule, { model: { confidence: 0.2 }, label: 'dog' }));
  assert.not.ok(keep(rule, { model: { confidence: 0.2 }, label: 'background' }));
  assert.not.ok(keep(rule, { model: { confidence: 0.9 }, label: 'dog' }));
  assert.not.ok(keep(rule, { model: 'flat', label: 'dog' }));
  assert.not.ok(keep('meta.toString=x', {}), 'inherited properties are not fields');
});

test('malformed rules fail with INVALID_KEEP_RULE and the offset of the problem', () => {
  const cases: [string, number, RegExp][] = [
    ['', 0, /expected a field/],
    ['confidence<0.5', 0, /expected a field/],
    ['meta.<0.5', 5, /expected a key/],
    ['meta.confidence 0.5', 16, /expected one of/],
    ['meta.confidence<', 16, /expected a number/],
    ['meta.label<cat', 11, /compares numbers/],
    ['meta.a=1 or meta.b=2', 9, /expected "and"/],
    ['meta.a=1 and', 12, /expected a field/],
    ['meta.a="unterminated', 7, /expected a number/],
  ];
  for (const [rule, position, reason] of cases) {
    try {
      parseKeepRule(rule);
      assert.unreachable(`${rule} parsed`);
    } catch (error) {
      assert.instance(error, KeepRuleError, rule);
      assert.is((error as KeepRuleError).code, 'INVALID_KEEP_RULE');
      assert.is((error as KeepRuleError).position, position, rule);
      assert.match((error as Error).message, reason, rule);
    }
  }
});

test('limits: length and number of clauses', () => {
  assert.throws(() => parseKeepRule(`meta.a=${'x'.repeat(1000)}`), (e: unknown) => e instanceof KeepRuleError && /longer than 1000/.test((e as Error).message));
  const many = Array.from({ length: 17 }, (_, i) => `meta.f${i}=1`).join(' and ');
  assert.throws(() => parseKeepRule(many), (e: unknown) => e instanceof KeepRuleError && /more than 16 clauses/.test((e as Error).message));
  assert.is(parseKeepRule(Array.from({ length: 16 }, (_, i) => `meta.f${i}=1`).join(' and ')).clauses.length, 16);
});

test.run();
