import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { hashPassword, parsePassword, verifyPassword } from '../../../services/identity/passwords.ts';

const test = suite('passwords');
const PASSWORD = 'twelve chars';

test('Argon2id, salted: two hashes of one password differ and both verify', async () => {
  const first = await hashPassword(PASSWORD);
  const second = await hashPassword(PASSWORD);
  assert.match(first, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.is.not(first, second);
  assert.ok(await verifyPassword(first, PASSWORD));
  assert.ok(await verifyPassword(second, PASSWORD));
  assert.not.ok(await verifyPassword(first, `${PASSWORD}!`));
  assert.not.ok(await verifyPassword(first, PASSWORD.toUpperCase()));
});

test('12 to 1024 characters', async () => {
  assert.is(parsePassword('x'.repeat(12)), 'x'.repeat(12));
  assert.is(parsePassword('x'.repeat(1024)), 'x'.repeat(1024));
  for (const bad of ['x'.repeat(11), 'x'.repeat(1025), '', 123456789012, null]) {
    assert.throws(() => parsePassword(bad), (e: unknown) => e instanceof InvalidInputError && e.data.field === 'password');
    if (typeof bad === 'string') {
      try {
        await hashPassword(bad);
        assert.unreachable();
      } catch (error) {
        assert.instance(error, InvalidInputError);
      }
    }
  }
});

test('no stored hash, a malformed one, or an out-of-range password never verifies', async () => {
  assert.not.ok(await verifyPassword(null, PASSWORD));
  assert.not.ok(await verifyPassword('$argon2id$garbage', PASSWORD));
  const long = 'y'.repeat(1025);
  assert.not.ok(await verifyPassword(await hashPassword('y'.repeat(1024)), long));
  assert.not.ok(await verifyPassword(await hashPassword(PASSWORD), ''));
});

test.run();
