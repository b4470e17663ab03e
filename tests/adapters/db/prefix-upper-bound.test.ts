import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prefixUpperBound } from '../../../adapters/db/prefix-upper-bound.ts';
import { comparePaths } from '../../../core/item-path.ts';

test('increments the last code point', () => {
  assert.is(prefixUpperBound('data/'), 'data0');
  assert.is(prefixUpperBound('a%'), 'a&');
  assert.is(prefixUpperBound('img/😀'), 'img/😁');
  assert.is(prefixUpperBound('x\uFFFF'), 'x\u{10000}');
});

test('skips the surrogate range and carries past U+10FFFF', () => {
  assert.is(prefixUpperBound('a\uD7FF'), 'a\uE000');
  assert.is(prefixUpperBound('ab\u{10FFFF}\u{10FFFF}'), 'ac');
});

test('has no bound for the empty prefix or one of only U+10FFFF', () => {
  assert.is(prefixUpperBound(''), null);
  assert.is(prefixUpperBound('\u{10FFFF}'), null);
});

test('every string under the prefix sorts below the bound, the bound itself does not start with it', () => {
  for (const prefix of ['a', 'img/\uFFFD', 'img/😀', 'data/100%']) {
    const bound = prefixUpperBound(prefix)!;
    assert.not.ok(bound.startsWith(prefix));
    for (const suffix of ['', '\u0001', 'zzz', '\uFFFF', '\u{10FFFF}\u{10FFFF}', '😀'])
      assert.ok(comparePaths(prefix + suffix, bound) < 0, `${prefix}${suffix}`);
  }
});

test.run();
