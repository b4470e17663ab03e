import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { isApiTokenId, newApiToken, parseApiToken, parseExpiry, parseScopes, parseTokenName } from '../../../services/identity/api-token.ts';
import { hashSecret, hashesEqual } from '../../../services/identity/secret-hash.ts';

const test = suite('api tokens');
const NOW = new Date('2025-01-01T00:00:00Z');

test('new tokens are shf_<id>_<secret>, parse back, and carry the hash of their secret', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const made = newApiToken();
    assert.match(made.token, /^shf_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    assert.ok(isApiTokenId(made.id));
    const parsed = parseApiToken(made.token)!;
    assert.is(parsed.id, made.id);
    assert.ok(hashesEqual(hashSecret(parsed.secret), made.secretHash));
    seen.add(made.id);
  }
  assert.is(seen.size, 200);
});

test('anything else does not parse', () => {
  const { token } = newApiToken();
  for (const value of ['', 'shf_', token.slice(0, -1), `${token}=`, `Bearer ${token}`, token.replace(/^shf_/, 'SHF_'), `${token}\n`])
    assert.is(parseApiToken(value), null, value);
  assert.not.ok(isApiTokenId('ABCDEFGHIJKL'));
  assert.not.ok(isApiTokenId('abcdefghijk1'));
});

test('hashesEqual wants two sha256 digests', () => {
  const a = hashSecret('a');
  assert.ok(hashesEqual(a, a));
  assert.not.ok(hashesEqual(a, hashSecret('b')));
  assert.not.ok(hashesEqual(a, a.slice(0, 62)));
  assert.not.ok(hashesEqual('', ''));
});

test('scopes: a non-empty subset, deduplicated, in canonical order', () => {
  assert.equal(parseScopes(['admin', 'read', 'read']), ['read', 'admin']);
  for (const bad of [[], ['READ'], ['read', 'everything'], 'read', null])
    assert.throws(() => parseScopes(bad), (e: unknown) => e instanceof InvalidInputError && e.data.field === 'scopes');
});

test('token names: 1-100 printable characters', () => {
  assert.is(parseTokenName('CI on main ✓'), 'CI on main ✓');
  for (const bad of ['', '  ', 'x'.repeat(101), 'tab\there', 7])
    assert.throws(() => parseTokenName(bad), (e: unknown) => e instanceof InvalidInputError && e.data.field === 'token name');
});

test('expiry: never, in whole days, or at a future zoned time within ten years', () => {
  assert.is(parseExpiry({}, NOW), null);
  assert.is(parseExpiry({ expiresAt: null, expiresInDays: null }, NOW), null);
  assert.equal(parseExpiry({ expiresInDays: 30 }, NOW), new Date('2025-01-31T00:00:00Z'));
  assert.equal(parseExpiry({ expiresAt: '2025-01-01T02:00:00+01:00' }, NOW), new Date('2025-01-01T01:00:00Z'));
  assert.equal(parseExpiry({ expiresAt: '2025-06-30T12:30:00.5Z' }, NOW), new Date('2025-06-30T12:30:00.500Z'));
  for (const bad of [
    { expiresAt: '2024-12-31T23:59:59Z' },
    { expiresAt: '2025-01-01T00:00:00Z' },
    { expiresAt: '2025-06-30T12:30:00' },
    { expiresAt: '2025-02-29T00:00:00Z' },
    { expiresAt: '2036-01-01T00:00:00Z' },
    { expiresAt: 1767225600000 },
    { expiresInDays: 0 },
    { expiresInDays: -1 },
    { expiresInDays: 3651 },
    { expiresInDays: '3' },
    { expiresAt: '2025-06-30T00:00:00Z', expiresInDays: 1 },
  ])
    assert.throws(() => parseExpiry(bad, NOW), (e: unknown) => e instanceof InvalidInputError && e.data.field === 'expiry', JSON.stringify(bad));
});

test.run();
