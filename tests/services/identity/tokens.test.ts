import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ForbiddenError, InvalidInputError, InvalidNameError, NotFoundError, UnauthenticatedError } from '../../../core/errors.ts';
import { AUTH_FAILURES } from '../../../services/identity/authentication.ts';
import { databaseKinds } from '../../helpers/databases.ts';
import { openIdentityFixture, rejects, type IdentityFixture } from './identity-fixture.ts';

const DAY = 24 * 60 * 60 * 1000;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

for (const kind of databaseKinds) {
  const test = suite(`IdentityService tokens on ${kind}`);
  let f: IdentityFixture;
  test.before(async () => void (f = await openIdentityFixture(kind)));
  test.after(async () => f?.database.close());

  const tokenCount = async () => (await f.db.selectFrom('api_tokens').select('id').execute()).length;

  test('a token authenticates as its user with its scopes; its secret is stored only as a hash', async () => {
    await f.user('tina');
    const { actor: tina } = await f.tokenOf('tina', ['read', 'write']);
    const created = await f.identity.createToken(tina, { name: 'laptop', scopes: ['read'] });
    assert.match(created.token, new RegExp(`^shf_${created.info.id}_[A-Za-z0-9_-]{43}$`));
    assert.equal(created.info.scopes, ['read']);
    assert.is(created.info.user, 'tina');
    assert.is(created.info.expiresAt, null);
    const { actor, csrfToken } = (await f.identity.authenticate({ bearer: created.token }))!;
    assert.is(csrfToken, null);
    assert.equal({ ...actor, scopes: [...actor.scopes] }, {
      userId: tina.userId,
      name: 'tina',
      isAdmin: false,
      credential: { kind: 'token', id: created.info.id },
      scopes: ['read'],
    });
    const row = await f.db.selectFrom('api_tokens').selectAll().where('id', '=', created.info.id).executeTakeFirstOrThrow();
    assert.is(row.secret_hash.length, 64);
    assert.not.ok(JSON.stringify(row).includes(created.token.slice(-43)));
    const listed = await f.identity.listTokens(tina);
    assert.ok(listed.some((t) => t.id === created.info.id));
    assert.not.match(JSON.stringify(listed), /secret|Hash/i);
  });

  test('last use is recorded at most once a minute', async () => {
    await f.user('lou');
    const { token, id } = await f.tokenOf('lou', ['read']);
    const lastUsed = async () => (await f.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;
    const first = await lastUsed();
    assert.equal(first, f.clock.now());
    f.clock.advance(30_000);
    await f.actor(token);
    assert.equal(await lastUsed(), first);
    f.clock.advance(31_000);
    await f.actor(token);
    assert.equal(await lastUsed(), f.clock.now());
  });

  test('an expired token is refused and the failure audited with its id', async () => {
    await f.user('exa');
    const { actor } = await f.tokenOf('exa', ['read', 'write']);
    const created = await f.identity.createToken(actor, { name: 'ci', scopes: ['read'], expiresInDays: 1 });
    assert.equal(created.info.expiresAt, new Date(f.clock.now().getTime() + DAY));
    f.clock.advance(DAY - 1);
    await f.actor(created.token);
    f.clock.advance(1);
    const seq = await f.lastSeq();
    const error = await rejects(f.identity.authenticate({ bearer: created.token }), UnauthenticatedError);
    assert.is(error.data.reason, AUTH_FAILURES.tokenExpired);
    const entries = await f.auditAfter(seq);
    assert.equal(entries.map((e) => [e.action, e.outcome, e.credential, e.actor_name, e.error_code]), [
      ['auth.failed', 'failed', `token:${created.info.id}`, 'anonymous', 'UNAUTHENTICATED'],
    ]);
  });

  test('expiresAt must be a future ISO time with a zone; not both expiry forms', async () => {
    const { actor } = await f.tokenOf('admin');
    const before = await tokenCount();
    const future = new Date(f.clock.now().getTime() + 7 * DAY).toISOString();
    const created = await f.identity.createToken(actor, { name: 'week', scopes: ['read'], expiresAt: future });
    assert.equal(created.info.expiresAt, new Date(future));
    for (const expiry of [
      { expiresAt: f.clock.now().toISOString() },
      { expiresAt: '2025-03-01 09:00' },
      { expiresAt: '2030-02-31T00:00:00Z' },
      { expiresAt: 'tomorrow' },
      { expiresInDays: 0 },
      { expiresInDays: 1.5 },
      { expiresInDays: 100_000 },
      { expiresAt: future, expiresInDays: 3 },
    ]) {
      const error = await rejects(f.identity.createToken(actor, { name: 'bad', scopes: ['read'], ...expiry }), InvalidInputError);
      assert.is(error.data.field, 'expiry');
    }
    assert.is(await tokenCount(), before + 1);
  });

  test('bad names and scopes are INVALID_INPUT, change nothing, and are audited as failed', async () => {
    const { actor } = await f.tokenOf('admin');
    const before = await tokenCount();
    const seq = await f.lastSeq();
    const cases: [Parameters<typeof f.identity.createToken>[1], string][] = [
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x', scopes: ['root'] }, 'scopes'],
      [{ name: '', scopes: ['read'] }, 'token name'],
      [{ name: '   ', scopes: ['read'] }, 'token name'],
      [{ name: 'a\nb', scopes: ['read'] }, 'token name'],
      [{ name: 'x'.repeat(101), scopes: ['read'] }, 'token name'],
    ];
    for (const [input, field] of cases) assert.is((await rejects(f.identity.createToken(actor, input), InvalidInputError)).data.field, field);
    assert.is(await tokenCount(), before);
    const entries = await f.auditAfter(seq);
    assert.equal(entries.map((e) => [e.action, e.outcome, e.error_code]), cases.map(() => ['token.create', 'failed', 'INVALID_INPUT']));
  });

  test('a credential cannot create a token with a scope it lacks; the refusal is audited', async () => {
    await f.user('rita');
    const { actor: readOnly } = await f.tokenOf('rita', ['read']);
    const before = await tokenCount();
    const seq = await f.lastSeq();
    const error = await rejects(f.identity.createToken(readOnly, { name: 'more', scopes: ['read', 'write'] }), ForbiddenError);
    assert.is(error.data.permission, 'scope write');
    assert.is(await tokenCount(), before);
    const entries = await f.auditAfter(seq);
    assert.equal(entries.map((e) => [e.action, e.outcome, e.actor_name]), [['token.create', 'denied', 'rita']]);
    // The same scopes or fewer are fine.
    await f.identity.createToken(readOnly, { name: 'same', scopes: ['read'] });
    // Being an admin does not lift it either: the credential limits.
    const { actor: adminRead } = await f.tokenOf('admin', ['read']);
    await rejects(f.identity.createToken(adminRead, { name: 'x', scopes: ['admin'] }), ForbiddenError);
  });

  test('only an admin with the admin scope makes or lists tokens of another user', async () => {
    await f.user('olga');
    await f.user('pete');
    const { actor: olga } = await f.tokenOf('olga', ['read', 'write', 'admin']);
    await rejects(f.identity.createToken(olga, { name: 'for pete', scopes: ['read'], user: 'pete' }), ForbiddenError);
    await rejects(f.identity.listTokens(olga, { user: 'pete' }), ForbiddenError);
    const { actor: adminWrite } = await f.tokenOf('admin', ['read', 'write']);
    await rejects(f.identity.createToken(adminWrite, { name: 'for pete', scopes: ['read'], user: 'pete' }), ForbiddenError);
    const admin = await f.admin();
    const made = await f.identity.createToken(admin, { name: 'for pete', scopes: ['read'], user: 'pete' });
    assert.is(made.info.user, 'pete');
    assert.is((await f.actor(made.token)).name, 'pete');
    assert.ok((await f.identity.listTokens(admin, { user: 'pete' })).some((t) => t.id === made.info.id));
    await rejects(f.identity.createToken(admin, { name: 'x', scopes: ['read'], user: 'nobody' }), NotFoundError);
    await rejects(f.identity.createToken(admin, { name: 'x', scopes: ['read'], user: 'bad name' }), InvalidNameError);
  });

  test('revoked tokens are refused; revoking again is harmless', async () => {
    await f.user('rob');
    const { actor } = await f.tokenOf('rob');
    const created = await f.identity.createToken(actor, { name: 'old', scopes: ['read'] });
    const revoked = await f.identity.revokeToken(actor, created.info.id);
    assert.equal(revoked.revokedAt, f.clock.now());
    assert.is((await rejects(f.identity.authenticate({ bearer: created.token }), UnauthenticatedError)).data.reason, AUTH_FAILURES.tokenRevoked);
    f.clock.advance(1000);
    const again = await f.identity.revokeToken(actor, created.info.id);
    assert.equal(again.revokedAt, revoked.revokedAt);
  });

  test("someone else's token is NOT_FOUND, like an unknown one, and stays valid; an admin may revoke it", async () => {
    await f.user('sam');
    await f.user('eve');
    const { actor: sam } = await f.tokenOf('sam');
    const { actor: eve } = await f.tokenOf('eve');
    const samToken = await f.identity.createToken(sam, { name: 'mine', scopes: ['read'] });
    const seq = await f.lastSeq();
    const error = await rejects(f.identity.revokeToken(eve, samToken.info.id), NotFoundError);
    assert.equal(error.data, { kind: 'token', id: samToken.info.id });
    const unknown = await rejects(f.identity.revokeToken(eve, 'aaaaaaaaaaaa'), NotFoundError);
    assert.is(unknown.message.replace('aaaaaaaaaaaa', samToken.info.id), error.message);
    await f.actor(samToken.token);
    assert.equal((await f.auditAfter(seq)).map((e) => [e.action, e.outcome, e.error_code]), [
      ['token.revoke', 'failed', 'NOT_FOUND'],
      ['token.revoke', 'failed', 'NOT_FOUND'],
    ]);
    await rejects(f.identity.revokeToken(eve, 'not a token id'), InvalidInputError);
    await f.identity.revokeToken(await f.admin(), samToken.info.id);
    await rejects(f.identity.authenticate({ bearer: samToken.token }), UnauthenticatedError);
  });

  test('a credential cannot revoke a token holding a scope it lacks', async () => {
    await f.user('vic');
    const { actor: full, id: fullId, token: fullToken } = await f.tokenOf('vic', ['read', 'write']);
    const readOnly = await f.identity.createToken(full, { name: 'reader', scopes: ['read'] });
    const reader = await f.actor(readOnly.token);
    await rejects(f.identity.revokeToken(reader, fullId), ForbiddenError);
    await f.actor(fullToken);
    // A read token may revoke itself.
    await f.identity.revokeToken(reader, readOnly.info.id);
  });

  test('malformed tokens and wrong secrets are refused alike; garbage is not audited', async () => {
    await f.user('mal');
    const { token, id } = await f.tokenOf('mal', ['read']);
    const secret = token.slice(-43);
    const seq = await f.lastSeq();
    const malformed = [
      '',
      'garbage',
      token.slice(0, -1),
      `${token}x`,
      token.replace('shf_', 'shg_'),
      token.toUpperCase(),
      `shf_${id.toUpperCase()}_${secret}`,
      `shf_${id}-${secret}`,
      `shf_${id}_${secret.slice(0, -1)}!`,
      // Same bytes, non-canonical spelling: the last character carries unused bits.
      `shf_${id}_${secret.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(secret.at(-1)!) | 1]}`,
      ` ${token}`,
    ];
    for (const bearer of malformed) {
      const error = await rejects(f.identity.authenticate({ bearer }), UnauthenticatedError);
      assert.is(error.data.reason, AUTH_FAILURES.unknownToken, bearer);
    }
    assert.equal(await f.auditAfter(seq), []);

    const wrongSecret = `shf_${id}_${'A'.repeat(42)}A`;
    assert.is((await rejects(f.identity.authenticate({ bearer: wrongSecret }), UnauthenticatedError)).data.reason, AUTH_FAILURES.unknownToken);
    const unknownId = `shf_aaaaaaaaaaaa_${secret}`;
    assert.is((await rejects(f.identity.authenticate({ bearer: unknownId }), UnauthenticatedError)).data.reason, AUTH_FAILURES.unknownToken);
    const entries = await f.auditAfter(seq);
    assert.equal(entries.map((e) => [e.action, e.credential]), [
      ['auth.failed', `token:${id}`],
      ['auth.failed', 'token:aaaaaaaaaaaa'],
    ]);
    // A revoked token with a wrong secret does not tell that it was revoked.
    await f.identity.revokeToken(await f.admin(), id);
    assert.is((await rejects(f.identity.authenticate({ bearer: wrongSecret }), UnauthenticatedError)).data.reason, AUTH_FAILURES.unknownToken);
  });

  test('no credentials: null; a bearer token wins over a session', async () => {
    assert.is(await f.identity.authenticate({}), null);
    await f.user('both', { password: 'correct horse battery' });
    const { token } = await f.tokenOf('both', ['read']);
    const session = await f.identity.login('both', 'correct horse battery');
    const result = (await f.identity.authenticate({ bearer: token, sessionSecret: session.sessionSecret }))!;
    assert.is(result.actor.credential.kind, 'token');
    assert.is(result.csrfToken, null);
  });

  test.run();
}
