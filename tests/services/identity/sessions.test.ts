import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../../core/errors.ts';
import { AUTH_FAILURES } from '../../../services/identity/authentication.ts';
import { databaseKinds } from '../../helpers/databases.ts';
import { PASSWORD, openIdentityFixture, rejects, type IdentityFixture } from './identity-fixture.ts';

const TTL = 60 * 60 * 1000;

for (const kind of databaseKinds) {
  const test = suite(`IdentityService sessions on ${kind}`);
  let f: IdentityFixture;
  test.before(async () => void (f = await openIdentityFixture(kind, { sessionTtlMs: TTL })));
  test.after(async () => f?.database.close());

  const sessionCount = async () => (await f.db.selectFrom('sessions').select('id').execute()).length;

  test('login starts a session with every scope and a CSRF token; only hashes are stored', async () => {
    const userId = await f.user('ada', { password: PASSWORD });
    const seq = await f.lastSeq();
    const signedIn = await f.identity.login('ada', PASSWORD, { address: '10.0.0.7', userAgent: 'test' });
    assert.equal(signedIn.user, { id: userId, name: 'ada', isAdmin: false });
    assert.equal(signedIn.expiresAt, new Date(f.clock.now().getTime() + TTL));
    assert.match(signedIn.sessionSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.is.not(signedIn.csrfToken, signedIn.sessionSecret);
    const { actor, csrfToken } = (await f.identity.authenticate({ sessionSecret: signedIn.sessionSecret }))!;
    assert.is(csrfToken, signedIn.csrfToken);
    assert.is(actor.name, 'ada');
    assert.is(actor.credential.kind, 'session');
    assert.equal([...actor.scopes], ['read', 'write', 'admin']);
    const row = await f.db.selectFrom('sessions').selectAll().where('id', '=', actor.credential.id).executeTakeFirstOrThrow();
    assert.not.ok(JSON.stringify(row).includes(signedIn.sessionSecret));
    const entries = await f.auditAfter(seq);
    assert.equal(entries.map((e) => [e.action, e.outcome, e.credential]), [['auth.login', 'ok', `session:${actor.credential.id}`]]);
    assert.equal(JSON.parse(entries[0]!.inputs), { address: '10.0.0.7', name: 'ada', userAgent: 'test' });
    assert.equal(await f.identity.describeSession(signedIn.sessionSecret), { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt });
  });

  test('a wrong password, an unknown user and a user without password fail alike and are audited', async () => {
    await f.user('bea', { password: PASSWORD });
    await f.user('tokenonly');
    const before = await sessionCount();
    const seq = await f.lastSeq();
    const attempts: [string, string][] = [
      ['bea', 'wrong password!'],
      ['bea', ''],
      ['nobody', PASSWORD],
      ['tokenonly', PASSWORD],
      ['not a name', PASSWORD],
      ['bea', PASSWORD.repeat(100)],
    ];
    for (const [name, password] of attempts) {
      const error = await rejects(f.identity.login(name, password), UnauthenticatedError);
      assert.is(error.message, `not signed in: ${AUTH_FAILURES.wrongLogin}`);
    }
    assert.is(await sessionCount(), before);
    const entries = await f.auditAfter(seq);
    assert.equal(entries.map((e) => [e.action, e.outcome, e.actor_name, e.error_code]), attempts.map(() => ['auth.login', 'failed', 'anonymous', 'UNAUTHENTICATED']));
    assert.not.match(JSON.stringify(entries), /wrong password|correct horse/);
  });

  test('a session ends when it expires; the expired row is removed', async () => {
    await f.user('cid', { password: PASSWORD });
    const signedIn = await f.identity.login('cid', PASSWORD);
    f.clock.advance(TTL - 1);
    await f.identity.authenticate({ sessionSecret: signedIn.sessionSecret });
    f.clock.advance(1);
    const seq = await f.lastSeq();
    const error = await rejects(f.identity.authenticate({ sessionSecret: signedIn.sessionSecret }), UnauthenticatedError);
    assert.is(error.data.reason, AUTH_FAILURES.sessionEnded);
    assert.equal((await f.auditAfter(seq)).map((e) => [e.action, e.credential.split(':')[0]]), [['auth.failed', 'session']]);
    await rejects(f.identity.describeSession(signedIn.sessionSecret), UnauthenticatedError);
    assert.is((await f.db.selectFrom('sessions').select('id').where('user_id', '=', (await f.store.getUserByName('cid'))!.id).execute()).length, 0);
  });

  test('logout ends the session; unknown or malformed secrets are refused without audit', async () => {
    await f.user('dan', { password: PASSWORD });
    const signedIn = await f.identity.login('dan', PASSWORD);
    const seq = await f.lastSeq();
    assert.is(await f.identity.logout(signedIn.sessionSecret), true);
    assert.equal((await f.auditAfter(seq)).map((e) => [e.action, e.actor_name]), [['auth.logout', 'dan']]);
    assert.is(await f.identity.logout(signedIn.sessionSecret), false);
    assert.is(await f.identity.logout('junk'), false);
    await rejects(f.identity.authenticate({ sessionSecret: signedIn.sessionSecret }), UnauthenticatedError);
    await rejects(f.identity.authenticate({ sessionSecret: 'junk' }), UnauthenticatedError);
    await rejects(f.identity.authenticate({ sessionSecret: 'A'.repeat(43) }), UnauthenticatedError);
    assert.is((await f.auditAfter(seq)).length, 1);
  });

  test('changing one\'s password needs the current one and ends the other sessions', async () => {
    await f.user('eli', { password: PASSWORD });
    const first = await f.identity.login('eli', PASSWORD);
    const second = await f.identity.login('eli', PASSWORD);
    const { actor } = (await f.identity.authenticate({ sessionSecret: first.sessionSecret }))!;
    const next = 'a much better passphrase';
    await rejects(f.identity.setPassword(actor, { password: next }), InvalidInputError);
    await rejects(f.identity.setPassword(actor, { password: next, currentPassword: 'not the password' }), InvalidInputError);
    await rejects(f.identity.setPassword(actor, { password: 'short', currentPassword: PASSWORD }), InvalidInputError);
    await rejects(f.identity.setPassword(actor, { password: 'x'.repeat(1025), currentPassword: PASSWORD }), InvalidInputError);
    // Nothing changed so far.
    await f.identity.authenticate({ sessionSecret: second.sessionSecret });
    await f.identity.login('eli', PASSWORD);

    const seq = await f.lastSeq();
    const user = await f.identity.setPassword(actor, { password: next, currentPassword: PASSWORD });
    assert.is(user.hasPassword, true);
    assert.equal((await f.auditAfter(seq)).map((e) => [e.action, e.outcome]), [['user.password', 'ok']]);
    await f.identity.authenticate({ sessionSecret: first.sessionSecret });
    await rejects(f.identity.authenticate({ sessionSecret: second.sessionSecret }), UnauthenticatedError);
    await rejects(f.identity.login('eli', PASSWORD), UnauthenticatedError);
    await f.identity.login('eli', next);
  });

  test("an admin sets anyone's password and ends all their sessions; others may not", async () => {
    await f.user('fay', { password: PASSWORD });
    await f.user('gus', { password: PASSWORD });
    const fays = await f.identity.login('fay', PASSWORD);
    const { actor: gus } = await f.tokenOf('gus');
    await rejects(f.identity.setPassword(gus, { user: 'fay', password: 'taken over by gus' }), ForbiddenError);
    await f.identity.login('fay', PASSWORD);
    const { actor: adminRead } = await f.tokenOf('admin', ['read', 'write']);
    await rejects(f.identity.setPassword(adminRead, { user: 'fay', password: 'reset by the admin' }), ForbiddenError);
    await f.identity.setPassword(await f.admin(), { user: 'fay', password: 'reset by the admin' });
    await rejects(f.identity.authenticate({ sessionSecret: fays.sessionSecret }), UnauthenticatedError);
    await f.identity.login('fay', 'reset by the admin');
    await rejects(f.identity.setPassword(await f.admin(), { user: 'nobody', password: 'reset by the admin' }), NotFoundError);
  });

  test('a user without a password gets the first one from an admin, not through a token', async () => {
    await f.user('hal');
    const { actor } = await f.tokenOf('hal', ['read']);
    const seq = await f.lastSeq();
    await rejects(f.identity.setPassword(actor, { password: 'my first password' }), ForbiddenError);
    assert.equal((await f.auditAfter(seq)).map((e) => [e.action, e.outcome]), [['user.password', 'denied']]);
    await rejects(f.identity.login('hal', 'my first password'), UnauthenticatedError);
  });

  test.run();
}
