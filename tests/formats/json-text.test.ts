import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonErrorOffset } from '../../formats/json-error-offset.ts';
import { lineAndColumn, parseJsonText } from '../../formats/json-text.ts';

const test = suite('parseJsonText');

test('parses valid JSON', () => {
  assert.equal(parseJsonText('{"a":[1,2.5e3,-0,"x\\u00e9",true,false,null]}'), { ok: true, value: { a: [1, 2500, -0, 'xé', true, false, null] } });
});

test('places every kind of syntax error at its line and column', () => {
  const cases: [string, number, number][] = [
    ['[,]', 1, 2],
    ['{\n  "a": 1,\n}', 3, 1],
    ['{"a" 1}', 1, 6],
    ['[1 2]', 1, 4],
    ['[1,\n 2,\n 3', 3, 3],
    ['{"a": tru}', 1, 10],
    ['{"a": "b\nc"}', 1, 9],
    ['{"a": "\\x"}', 1, 8],
    ['[01]', 1, 3],
    ['[1] x', 1, 5],
    ['', 1, 1],
  ];
  for (const [text, line, column] of cases) {
    const result = parseJsonText(text);
    assert.is(result.ok, false, text);
    if (result.ok) continue;
    assert.equal([result.line, result.column], [line, column], JSON.stringify(text));
    assert.match(result.message, new RegExp(`^malformed JSON at line ${line}, column ${column}: `));
    assert.not.match(result.message, /is not valid JSON/, 'the text is not quoted back');
  }
});

test('the offset scanner accepts what JSON.parse accepts', () => {
  for (const text of ['0', '"x"', ' {"a":{"b":[[],{}]}} ', '[1e5,-1.5E-3,"\\"\\\\\\/\\b\\f\\n\\r\\t"]']) {
    JSON.parse(text);
    assert.is(jsonErrorOffset(text), text.length, text);
  }
});

test('lineAndColumn counts from 1', () => {
  assert.equal(lineAndColumn('ab\ncd', 0), { line: 1, column: 1 });
  assert.equal(lineAndColumn('ab\ncd', 3), { line: 2, column: 1 });
  assert.equal(lineAndColumn('ab\ncd', 99), { line: 2, column: 3 });
});

test.run();
