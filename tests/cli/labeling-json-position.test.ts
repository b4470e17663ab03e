import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findJsonSyntaxError } from '../../cli/labeling-json-position.ts';

const test = suite('findJsonSyntaxError');

const at = (text: string) => {
  const found = findJsonSyntaxError(text);
  return found && [found.line, found.column, found.reason];
};

test('valid JSON has no error, as JSON.parse agrees', () => {
  for (const text of ['{}', ' [1, -2.5e+3, "a\\u00e9\\n", true, false, null, {"a": [{}]}] ', '"x"', '0', '{"a":{"b":[]}}\n']) {
    assert.is(findJsonSyntaxError(text), undefined, text);
    JSON.parse(text);
  }
});

test('finds the first character that cannot continue the document, with line and column', () => {
  assert.equal(at('{\n  "media": "image",\n}\n'), [3, 1, 'unexpected "}"']);
  assert.equal(at('nope'), [1, 2, 'unexpected "o"']);
  assert.equal(at('<xml/>'), [1, 1, 'unexpected "<"']);
  assert.equal(at('{"a" 1}'), [1, 6, 'unexpected "1"']);
  assert.equal(at('{"a": 1'), [1, 8, 'unexpected end of file']);
  assert.equal(at(''), [1, 1, 'unexpected end of file']);
  assert.equal(at('{"a": 1} x'), [1, 10, 'unexpected "x"']);
  assert.equal(at("{'a': 1}"), [1, 2, 'unexpected "\'"']);
  assert.equal(at('[01]'), [1, 3, 'unexpected "1"']);
  assert.equal(at('[1.]'), [1, 4, 'unexpected "]"']);
  assert.equal(at('["a\tb"]'), [1, 4, 'unexpected "\\t"']);
  assert.equal(at('["\\x"]'), [1, 4, 'unexpected "x"']);
  assert.equal(at('[tru]'), [1, 5, 'unexpected "]"']);
  assert.equal(at('{"a": 1,\n "b": [1, 2,]}'), [2, 13, 'unexpected "]"']);
  assert.equal(at('["😀" 1]'), [1, 7, 'unexpected "1"']);
});

test('where JSON.parse names a position, it is the same one', () => {
  let compared = 0;
  for (const text of ['{"a":1,}', '[1,,2]', '{"a" 1}', '{"a":1} x', '[1 2]', `{"long enough to get a position": [1, 2, 3],, "b": 2}`]) {
    let position: number | undefined;
    try {
      JSON.parse(text);
    } catch (error) {
      const named = /at position (\d+)/.exec((error as Error).message);
      if (named) position = Number(named[1]);
    }
    if (position === undefined) continue;
    assert.is(findJsonSyntaxError(text)?.offset, position, text);
    compared++;
  }
  assert.ok(compared >= 3, `only ${compared} messages named a position`);
});

test('nesting deeper than the stack is reported at the start rather than crashing', () => {
  const deep = '['.repeat(1_000_000);
  assert.equal(at(deep)?.slice(0, 2), [1, 1]);
});

test.run();
