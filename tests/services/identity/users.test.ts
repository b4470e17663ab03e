import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AlreadyExistsError, ForbiddenError, InvalidInputError, InvalidNameError, UnauthenticatedError } from '../../../core/errors.ts';
import { systemActor } from '../../../services/actor.ts';
import { databaseKinds } from '../../helpers/databases.ts';
import { PASSWORD, openIdentityFixture, rejects, type IdentityFixture } from './identity-fixture.ts';

for (const kind of databaseKinds) {
  const test = suite(`IdentityService users on ${kind}`);
  let f: IdentityFixture;
  test.before(async () => void (f = await openIdentityFixture(kind)));
  test.after(async () => f?.database.close());

  const userNames = async () => (await f.db.selectFrom('users').select('name').orderBy('name').execute()).map((u) => u.name);

  test('an admin creates users, with or without a password, admins or not', async () => {
    const admin = await f.admin();
    const seq = await f.lastSeq();
    const ann = await f.identity.createUser(admin, { name: 'ann', password: PASSWORD });
    assert.equal({ ...ann, id: typeof ann.id, createdAt: ann.createdAt instanceof Date }, { id: 'string', name: 'ann', isAdmin: false, hasPassword: true, createdAt: true });
    const boss = await f.identity.createUser(admin, { name: 'boss', admin: true });
    assert.is(boss.isAdmin, true);
    assert.is(boss.hasPassword, false);
    const hash = (await f.store.getUserByName('ann'))!.passwordHash!;
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const entries = await f.auditAfter(seq);
    assert.equal(entries.map((e) => [e.action, e.outcome]), [['user.create', 'ok'], ['user.create', 'ok']]);
    assert.equal(JSON.parse(entries[0]!.inputs), { admin: false, name: 'ann', passwordGiven: true });
  });

  test('bad names, short passwords and taken names change nothing', async () => {
    const admin = await f.admin();
    const before = await userNames();
    for (const name of ['', 'has space', '-dash', 'dots..', 'end.', 'x'.repeat(65), 'a/b', 'ab'.repeat(32)])
      await rejects(f.identity.createUser(admin, { name }), InvalidNameError);
    await rejects(f.identity.createUser(admin, { name: 'shorty', password: 'short' }), InvalidInputError);
    await rejects(f.identity.createUser(admin, { name: 'admin' }), AlreadyExistsError);
    assert.equal(await userNames(), before);
  });

  test('only an admin with the admin scope creates or lists users; refusals are audited', async () => {
    await f.user('norm');
    const { actor: norm } = await f.tokenOf('norm');
    const { actor: adminWrite } = await f.tokenOf('admin', ['read', 'write']);
    const seq = await f.lastSeq();
    await rejects(f.identity.createUser(norm, { name: 'sneaky' }), ForbiddenError);
    await rejects(f.identity.createUser(adminWrite, { name: 'sneaky' }), ForbiddenError);
    await rejects(f.identity.listUsers(norm, { limit: 10 }), ForbiddenError);
    assert.equal((await f.auditAfter(seq)).map((e) => [e.action, e.outcome, e.actor_name]), [
      ['user.create', 'denied', 'norm'],
      ['user.create', 'denied', 'admin'],
      ['user.list', 'denied', 'norm'],
    ]);
    assert.not.ok((await userNames()).includes('sneaky'));
  });

  test('listUsers pages by name', async () => {
    const admin = await f.admin();
    const all = await f.identity.listUsers(admin, { limit: 1000 });
    assert.equal(all.map((u) => u.name), await userNames());
    const first = await f.identity.listUsers(admin, { limit: 2 });
    const rest = await f.identity.listUsers(admin, { limit: 1000, after: first[1]!.name });
    assert.equal([...first, ...rest].map((u) => u.name), all.map((u) => u.name));
    assert.not.ok(JSON.stringify(all).includes('argon2'));
  });

  test('me: the user, memberships, credential and scopes; actors without a user are refused', async () => {
    await f.user('meg');
    await f.identity.setMember(await f.admin(), { project: 'vision', user: 'meg', role: 'labeler', branches: ['cats@main'] });
    const { actor, id } = await f.tokenOf('meg', ['read']);
    const me = await f.identity.me(actor);
    assert.is(me.user.name, 'meg');
    assert.equal(me.memberships, [{ project: 'vision', role: 'labeler', branches: ['cats@main'] }]);
    assert.equal(me.credential, { kind: 'token', id });
    assert.equal(me.scopes, ['read']);
    await rejects(f.identity.me(systemActor('startup')), UnauthenticatedError);
  });

  test.run();
}
