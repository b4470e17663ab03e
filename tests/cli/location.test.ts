import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../cli/cli-error.ts';
import { formatLocation, parseLocation } from '../../cli/location.ts';

const test = suite('parseLocation');
const HASH = 'ab'.repeat(32);

function failure(text: string, options?: Parameters<typeof parseLocation>[1]): CliError {
  try {
    parseLocation(text, options);
  } catch (error) {
    assert.instance(error, CliError);
    return error as CliError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

test('dataset, dataset@ref and bare hashes', () => {
  assert.equal(parseLocation('cats'), { kind: 'ref', dataset: 'cats', ref: 'main' });
  assert.equal(parseLocation('cats', { defaultRef: 'dev' }), { kind: 'ref', dataset: 'cats', ref: 'dev' });
  assert.equal(parseLocation('cats@feature/x'), { kind: 'ref', dataset: 'cats', ref: 'feature/x' });
  assert.equal(parseLocation(`cats@${HASH}`), { kind: 'ref', dataset: 'cats', ref: HASH });
  assert.equal(parseLocation(HASH), { kind: 'hash', hash: HASH });
});

test('formatLocation gives what the API diff takes', () => {
  assert.is(formatLocation(parseLocation('cats')), 'cats@main');
  assert.is(formatLocation(parseLocation('cats@v1')), 'cats@v1');
  assert.is(formatLocation(parseLocation(HASH)), HASH);
});

test('hash-like text that is not a sha256 is INVALID_HASH, bare or as a ref', () => {
  for (const text of [HASH.slice(1), HASH.toUpperCase(), `${HASH}0`, `cats@${HASH.slice(1)}`, `cats@${HASH.toUpperCase()}`]) {
    const error = failure(text);
    assert.is(error.code, 'INVALID_HASH', text);
    assert.is(error.exitCode, 1);
  }
});

test('empty parts are INVALID_INPUT; bare hashes can be refused', () => {
  for (const text of ['', '@main', 'cats@']) assert.is(failure(text).code, 'INVALID_INPUT', text);
  const bare = failure(HASH, { allowHash: false });
  assert.is(bare.code, 'INVALID_INPUT');
  assert.match(bare.message, `<dataset>@${HASH}`);
});

test.run();
