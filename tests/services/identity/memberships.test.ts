import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ForbiddenError, InvalidInputError, InvalidNameError, NotFoundError } from '../../../core/errors.ts';
import type { IdentityStore, MembershipStore } from '../../../services/identity/identity-store.ts';
import { IdentityService } from '../../../services/identity/identity-service.ts';
import { databaseKinds } from '../../helpers/databases.ts';
import { openIdentityFixture, rejects, type IdentityFixture } from './identity-fixture.ts';

/**
 * `store` whose transactions wait in `countOwners` until `parties` of them got there (or a
 * second passed: on PGlite's single connection transactions cannot overlap at all).
 */
function meetingBeforeCount(store: IdentityStore, parties: number): IdentityStore {
  let waiting: (() => void)[] = [];
  const meet = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length < parties) return void setTimeout(resolve, 1000);
      for (const release of waiting) release();
      waiting = [];
    });
  const wrap = (tx: IdentityStore): IdentityStore => {
    const memberships: MembershipStore = Object.create(tx.memberships);
    memberships.countOwners = async (project) => {
      await meet();
      return tx.memberships.countOwners(project);
    };
    return Object.assign(Object.create(tx) as IdentityStore, { memberships });
  };
  return Object.assign(Object.create(store) as IdentityStore, { transaction: <T>(work: (tx: IdentityStore) => Promise<T>) => store.transaction((tx) => work(wrap(tx))) });
}

for (const kind of databaseKinds) {
  const test = suite(`IdentityService memberships on ${kind}`);
  let f: IdentityFixture;
  test.before(async () => void (f = await openIdentityFixture(kind)));
  test.after(async () => f?.database.close());

  const members = async (project: string) =>
    (await f.identity.listMembers(await f.admin(), project)).map((m) => [m.user, m.role, m.branches] as const);

  /** A project (admin is not a member) with `owner` as its only owner; returns the owner's token. */
  async function ownedProject(project: string, owner: string) {
    await f.project(project);
    const ownerId = await f.user(owner);
    await f.identity.grantOwner(project, ownerId);
    return f.tokenOf(owner);
  }

  test('an owner adds members; labelers get validated, sorted branch assignments', async () => {
    const { token } = await ownedProject('p1', 'o1');
    await f.user('l1');
    await f.user('v1');
    const seq = await f.lastSeq();
    const labeler = await f.identity.setMember(await f.actor(token), { project: 'p1', user: 'l1', role: 'labeler', branches: ['dogs@main', 'cats@feature/x', 'dogs@main'] });
    assert.equal([labeler.user, labeler.role, labeler.branches], ['l1', 'labeler', ['cats@feature/x', 'dogs@main']]);
    await f.identity.setMember(await f.actor(token), { project: 'p1', user: 'v1', role: 'viewer' });
    assert.equal(await members('p1'), [['l1', 'labeler', ['cats@feature/x', 'dogs@main']], ['o1', 'owner', []], ['v1', 'viewer', []]]);
    const entries = await f.auditAfter(seq);
    assert.equal(entries.map((e) => [e.action, e.outcome, e.project]), [['member.set', 'ok', 'p1'], ['member.set', 'ok', 'p1']]);
    // The access check sees the new membership.
    const { actor: l1 } = await f.tokenOf('l1', ['read']);
    assert.ok(await f.access.allows(l1, { project: 'p1', permission: 'branch.read', dataset: 'cats', branch: 'feature/x', action: 'test' }));
    assert.not.ok(await f.access.allows(l1, { project: 'p1', permission: 'branch.read', dataset: 'cats', branch: 'main', action: 'test' }));
  });

  test('bad roles and branch lists are refused and change nothing', async () => {
    const { token } = await ownedProject('p2', 'o2');
    await f.user('m2');
    await f.identity.setMember(await f.actor(token), { project: 'p2', user: 'm2', role: 'viewer' });
    const before = await members('p2');
    const seq = await f.lastSeq();
    const set = async (role: string, branches?: string[]) => f.identity.setMember(await f.actor(token), { project: 'p2', user: 'm2', role, branches });
    await rejects(set('boss'), InvalidInputError);
    await rejects(set('viewer', ['cats@main']), InvalidInputError);
    await rejects(set('labeler', ['cats']), InvalidInputError);
    await rejects(set('labeler', ['cats@']), InvalidNameError);
    await rejects(set('labeler', ['@main']), InvalidNameError);
    await rejects(set('labeler', ['cats@main..x']), InvalidNameError);
    await rejects(set('labeler', Array.from({ length: 1001 }, (_, i) => `d${i}@main`)), InvalidInputError);
    await rejects(f.identity.setMember(await f.actor(token), { project: 'bad name', user: 'm2', role: 'viewer' }), InvalidNameError);
    assert.equal(await members('p2'), before);
    assert.ok((await f.auditAfter(seq)).every((e) => e.action === 'member.set' && e.outcome === 'failed'));
  });

  test('a member without members.manage is refused, audited as denied, whether or not the project exists', async () => {
    const { token } = await ownedProject('p3', 'o3');
    await f.user('m3');
    await f.identity.setMember(await f.actor(token), { project: 'p3', user: 'm3', role: 'maintainer' });
    const { actor: maintainer } = await f.tokenOf('m3');
    const { actor: maintainerAgain } = await f.tokenOf('m3');
    const before = await members('p3');
    const seq = await f.lastSeq();
    const refused = await rejects(f.identity.setMember(maintainer, { project: 'p3', user: 'm3', role: 'owner' }), ForbiddenError);
    const unknown = await rejects(f.identity.setMember(maintainerAgain, { project: 'nowhere', user: 'm3', role: 'owner' }), ForbiddenError);
    assert.is(refused.data.permission, unknown.data.permission);
    await rejects(f.identity.removeMember(maintainer, { project: 'p3', user: 'o3' }), ForbiddenError);
    assert.equal(await members('p3'), before);
    assert.equal((await f.auditAfter(seq)).map((e) => [e.action, e.outcome, e.project]), [
      ['member.set', 'denied', 'p3'],
      ['member.set', 'denied', 'nowhere'],
      ['member.remove', 'denied', 'p3'],
    ]);
    // An owner's credential needs the admin scope too.
    const ownerWrite = await f.identity.createToken(await f.actor(token), { name: 'w', scopes: ['read', 'write'] });
    await rejects(f.identity.setMember(await f.actor(ownerWrite.token), { project: 'p3', user: 'm3', role: 'viewer' }), ForbiddenError);
  });

  test('the last owner cannot be demoted or removed; with a second owner it can', async () => {
    const { token } = await ownedProject('p4', 'o4');
    await f.user('o4b');
    const actor = () => f.actor(token);
    await rejects(f.identity.setMember(await actor(), { project: 'p4', user: 'o4', role: 'maintainer' }), InvalidInputError);
    await rejects(f.identity.removeMember(await actor(), { project: 'p4', user: 'o4' }), InvalidInputError);
    await rejects(f.identity.removeMember(await f.admin(), { project: 'p4', user: 'o4' }), InvalidInputError);
    assert.equal(await members('p4'), [['o4', 'owner', []]]);
    await f.identity.setMember(await actor(), { project: 'p4', user: 'o4b', role: 'owner' });
    await f.identity.setMember(await actor(), { project: 'p4', user: 'o4', role: 'maintainer' });
    assert.equal(await members('p4'), [['o4', 'maintainer', []], ['o4b', 'owner', []]]);
    await rejects(f.identity.removeMember(await f.admin(), { project: 'p4', user: 'o4b' }), InvalidInputError);
    const removed = await f.identity.removeMember(await f.admin(), { project: 'p4', user: 'o4' });
    assert.equal(removed, { project: 'p4', user: 'o4' });
    await rejects(f.identity.removeMember(await f.admin(), { project: 'p4', user: 'o4' }), NotFoundError);
  });

  test('two owners demoting each other at once leave one owner', async () => {
    const { token: first } = await ownedProject('p5', 'o5');
    await f.user('o5b');
    await f.identity.setMember(await f.actor(first), { project: 'p5', user: 'o5b', role: 'owner' });
    const { token: second } = await f.tokenOf('o5b');
    // Both demotions reach the owner count before either goes on, so without the count's row
    // locks both would see two owners.
    const identity = new IdentityService({ store: meetingBeforeCount(f.store, 2), access: f.access, audit: f.audit, clock: f.clock });
    const outcomes = await Promise.allSettled([
      identity.setMember(await f.actor(first), { project: 'p5', user: 'o5b', role: 'viewer' }),
      identity.setMember(await f.actor(second), { project: 'p5', user: 'o5', role: 'viewer' }),
    ]);
    assert.is(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const failure = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.ok(failure.reason instanceof InvalidInputError || failure.reason instanceof ForbiddenError, String(failure.reason));
    assert.is((await members('p5')).filter(([, role]) => role === 'owner').length, 1);
  });

  test('admins manage any project; unknown users and projects are NOT_FOUND', async () => {
    await f.project('p6');
    await f.user('m6');
    const admin = await f.admin();
    await f.identity.setMember(admin, { project: 'p6', user: 'm6', role: 'owner' });
    assert.equal(await members('p6'), [['m6', 'owner', []]]);
    assert.equal((await rejects(f.identity.setMember(admin, { project: 'p6', user: 'ghost', role: 'viewer' }), NotFoundError)).data.kind, 'user');
    assert.equal((await rejects(f.identity.setMember(admin, { project: 'nowhere', user: 'm6', role: 'viewer' }), NotFoundError)).data.kind, 'project');
    assert.equal((await rejects(f.identity.removeMember(admin, { project: 'p6', user: 'ghost' }), NotFoundError)).data.kind, 'user');
  });

  test('members are listed to those who may read the project', async () => {
    const { token } = await ownedProject('p7', 'o7');
    await f.user('l7');
    await f.user('x7');
    await f.identity.setMember(await f.actor(token), { project: 'p7', user: 'l7', role: 'labeler', branches: ['a@main'] });
    const listed = await f.identity.listMembers(await f.actor(token), 'p7');
    assert.equal(listed.map((m) => m.user), ['l7', 'o7']);
    await rejects(f.identity.listMembers((await f.tokenOf('l7')).actor, 'p7'), ForbiddenError);
    await rejects(f.identity.listMembers((await f.tokenOf('x7')).actor, 'p7'), ForbiddenError);
  });

  test.run();
}
