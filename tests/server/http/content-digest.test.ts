import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { sha256FromContentDigest } from '../../../server/http/content-digest.ts';

const test = suite('sha256FromContentDigest');
const HELLO = createHash('sha256').update('hello\n').digest();

test('reads sha-256 as hex, among other members and parameters', () => {
  const b64 = HELLO.toString('base64');
  const hex = HELLO.toString('hex');
  assert.is(sha256FromContentDigest(`sha-256=:${b64}:`), hex);
  assert.is(sha256FromContentDigest(`sha-512=:${Buffer.alloc(64).toString('base64')}:,  sha-256=:${b64}:`), hex);
  assert.is(sha256FromContentDigest(`sha-256=:${Buffer.alloc(32).toString('base64')}:, sha-256=:${b64}:`), hex);
  assert.is(sha256FromContentDigest(`sha-256=:${b64}:;param=1`), hex);
});

test('other algorithms only: nothing claimed', () => {
  assert.is(sha256FromContentDigest(`sha-512=:${Buffer.alloc(64).toString('base64')}:`), undefined);
  assert.is(sha256FromContentDigest('unixsum=:AAAA:'), undefined);
});

test('malformed headers throw InvalidInputError', () => {
  const b64 = HELLO.toString('base64');
  for (const header of [
    'sha-256',
    'sha-256=',
    `sha-256=${b64}`,
    `sha-256=:${b64}`,
    `sha-256=:${b64.slice(0, -1)}:`,
    `sha-256=:${Buffer.alloc(31).toString('base64')}:`,
    `sha-256=:${HELLO.toString('base64url')}:`,
    'SHA-256=:abc:',
    '',
    ',',
  ])
    assert.throws(() => sha256FromContentDigest(header), (error: unknown) => error instanceof InvalidInputError, header);
});

test.run();
