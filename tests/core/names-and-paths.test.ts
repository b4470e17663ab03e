import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidHashError, InvalidNameError, InvalidPathError } from '../../core/errors.ts';
import { parseBranchName, parseDatasetName, parseSha256, parseTagName } from '../../core/ids.ts';
import { comparePaths, parseItemPath } from '../../core/item-path.ts';
import { seededRandom } from '../helpers/random.ts';

const test = suite('names, hashes and item paths');

test('valid item paths pass unchanged', () => {
  for (const path of ['a', 'img/cat 1.jpg', 'données/été.png', 'emoji/😀.txt', 'x'.repeat(1024), 'a/.hidden', 'a/..b'])
    assert.is(parseItemPath(path), path);
});

test('unsafe item paths are rejected with a reason', () => {
  const cases: [unknown, RegExp][] = [
    ['', /empty/],
    ['/etc/passwd', /absolute/],
    ['../up', /'\.\.' segment/],
    ['a/../../b', /'\.\.' segment/],
    ['a/./b', /'\.' segment/],
    ['a//b', /empty segment/],
    ['dir/', /empty segment/],
    ['nul\u0000', /control/],
    ['tab\there', /control/],
    ['del\u007f', /control/],
    ['c1\u0085', /control/],
    ['é'.repeat(513), /1024 bytes/],
    ['win\\..\\x', /backslash/],
    ['bad\ud800', /Unicode/],
    [42, /not a string/],
  ];
  for (const [path, reason] of cases)
    assert.throws(() => parseItemPath(path), (e: unknown) => e instanceof InvalidPathError && e.code === 'INVALID_PATH' && reason.test(e.message));
});

test('comparePaths orders by code point, like UTF-8 bytes and COLLATE "C"', () => {
  const random = seededRandom(9);
  const alphabet = ['a', 'z', 'é', '\uE000', '\uFFFD', '😀', '𝄞', '/', '0', '~'];
  const strings = Array.from({ length: 400 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
  );
  const ours = [...strings].sort(comparePaths);
  const bytes = [...strings].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.equal(ours, bytes);
});

test('hashes must be 64 lowercase hex characters', () => {
  assert.is(parseSha256('a'.repeat(64)), 'a'.repeat(64));
  for (const bad of ['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), '', null, 7])
    assert.throws(() => parseSha256(bad), (e: unknown) => e instanceof InvalidHashError && e.code === 'INVALID_HASH');
});

test('names: conservative characters, no hashes, branches may use "/"', () => {
  assert.is(parseDatasetName('cats-v2.1_final'), 'cats-v2.1_final');
  assert.is(parseBranchName('feature/labels'), 'feature/labels');
  assert.is(parseTagName('v1.0'), 'v1.0');
  for (const bad of ['', '-x', 'a b', 'a@b', 'x'.repeat(129), 'a'.repeat(64), 'a/b', 'ü'])
    assert.throws(() => parseDatasetName(bad), (e: unknown) => e instanceof InvalidNameError);
  for (const bad of ['a..b', 'a//b', 'a/', 'a.', '/a', 'a@main'])
    assert.throws(() => parseBranchName(bad), (e: unknown) => e instanceof InvalidNameError);
});

test.run();
