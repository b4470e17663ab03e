import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CoreError } from '../../../core/errors.ts';
import { parseBranchName, parseDatasetName, parseProjectName } from '../../../core/ids.ts';
import { parseItemPath } from '../../../core/item-path.ts';
import type { DatabaseKind } from '../../helpers/databases.ts';
import { classOf, itemsNamed, LEASE_MS, openLabelingFixture, SCHEMA, type LabelingFixture } from './labeling-fixture.ts';

/** Expects `work` to fail with a core error of this code; returns the error. */
export async function refused(work: Promise<unknown>, code: string): Promise<CoreError> {
  try {
    await work;
  } catch (error) {
    assert.instance(error, CoreError, String(error));
    assert.is((error as CoreError).code, code, (error as Error).message);
    return error as CoreError;
  }
  throw new assert.Assertion({ message: `expected ${code}, but it succeeded`, generated: false, operator: 'refused', expects: code, actual: 'ok' });
}

/**
 * The labeling service on one database: projects and tasks, leases with expiry (an injected
 * clock), skip and release, submissions with and without overlap, consensus, review, commits
 * and auto-commit, history, dashboard figures, queue orders, sync, and access across projects.
 */
export function labelingSuite(kind: DatabaseKind) {
  const test = suite(`labeling service (${kind})`);
  let f: LabelingFixture;
  let n = 0;

  test.before.each(async () => {
    f = await openLabelingFixture(kind);
    n = 0;
  });
  test.after.each(async () => {
    await f?.close();
  });

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    f.labeling.createProject(f.as('olga'), { project: 'alpha', name, dataset: 'inspections', branch: 'to-label', schema: SCHEMA, ...extra });
  const member = (lp: string, user: string, role = 'labeler') => f.labeling.setMember(f.as('olga'), { project: 'alpha', labelingProject: lp, user, role });
  const next = async (user: string, lp: string, count = 1, exclude?: string[]) =>
    (await f.labeling.nextTasks(f.as(user), { project: 'alpha', labelingProject: lp, count, exclude })).map((t) => t.path);
  const submit = (user: string, lp: string, path: string, annotations: unknown, submissionId = `s${++n}`) =>
    f.labeling.submit(f.as(user), { project: 'alpha', labelingProject: lp, path, annotations, submissionId });
  const branchItem = (path: string) =>
    f.engine.getItem({ project: parseProjectName('alpha'), dataset: parseDatasetName('inspections') }, parseBranchName('to-label'), parseItemPath(path));

  test('a project materializes one task per item; bad input is refused with its location', async () => {
    await f.addItems('alpha', itemsNamed(5));
    const lp = await create('defects', { instructions: 'Mark every defect.' });
    assert.equal([lp.dataset, lp.branch, lp.overlap, lp.queueOrder, lp.myRole], ['inspections', 'to-label', 1, 'dataset', 'manager']);
    assert.equal(await f.labeling.progress(lp), { total: 5, unlabeled: 5, leased: 0, inReview: 0, done: 0, skipped: 0, uncommitted: 0 });

    const badColor = await refused(create('bad', { schema: { ...SCHEMA, classes: [{ name: 'ok', color: 'green' }] } }), 'INVALID_INPUT');
    assert.is((badColor.data as { field: string }).field, 'schema/classes/0/color');
    await refused(create('bad', { dataset: 'nope' }), 'NOT_FOUND');
    await refused(create('bad', { branch: 'nope' }), 'NOT_FOUND');
    await refused(create('bad', { overlap: 0 }), 'INVALID_INPUT');
    await refused(create('bad', { queueOrder: 'sideways' }), 'INVALID_INPUT');
    await refused(create('defects'), 'ALREADY_EXISTS');
    await refused(f.labeling.createProject(f.as('lena'), { project: 'alpha', name: 'mine', dataset: 'inspections', branch: 'to-label', schema: SCHEMA }), 'FORBIDDEN');
    assert.equal((await f.labeling.listProjects(f.as('olga'), 'alpha')).map((p) => p.name), ['defects']);
  });

  test('leases: no two labelers get the same item; held tasks come first; expired leases go back to the queue', async () => {
    await f.addItems('alpha', itemsNamed(6));
    await create('defects');
    for (const user of ['lena', 'leo']) await member('defects', user);
    assert.equal(await next('lena', 'defects', 2), ['img/0000.jpg', 'img/0001.jpg']);
    assert.equal(await next('leo', 'defects', 2), ['img/0002.jpg', 'img/0003.jpg']);
    // Asking again returns what the labeler holds, renewed; `exclude` leaves out what the client has.
    assert.equal(await next('lena', 'defects', 2), ['img/0000.jpg', 'img/0001.jpg']);
    assert.equal(await next('lena', 'defects', 1, ['img/0000.jpg']), ['img/0001.jpg']);
    assert.equal(await next('lena', 'defects', 2, ['img/0000.jpg', 'img/0001.jpg']), ['img/0004.jpg', 'img/0005.jpg']);
    const lp = await f.labeling.getProject(f.as('olga'), 'alpha', 'defects');
    assert.is((await f.labeling.progress(lp)).leased, 6);
    assert.equal(await next('leo', 'defects', 3), ['img/0002.jpg', 'img/0003.jpg'], 'nothing else is free');

    f.clock.advance(LEASE_MS + 1);
    assert.equal(await next('leo', 'defects', 2), ['img/0000.jpg', 'img/0001.jpg'], 'expired leases return to the queue');
    // Lena's lease on img/0000 expired and Leo holds it now.
    const conflict = await refused(submit('lena', 'defects', 'img/0000.jpg', classOf('ok')), 'TASK_CONFLICT');
    assert.match(conflict.message, /expired/);
    // Lena's lease on img/0004 expired too, but nobody took it: her submission still counts.
    assert.is((await submit('lena', 'defects', 'img/0004.jpg', classOf('ok'))).status, 'done');
    // A task never leased to the labeler.
    assert.match((await refused(submit('lena', 'defects', 'img/0002.jpg', classOf('ok')), 'TASK_CONFLICT')).message, /not leased to you/);
    assert.ok(await f.labeling.release(f.as('leo'), { project: 'alpha', labelingProject: 'defects', path: 'img/0000.jpg' }));
    assert.not.ok(await f.labeling.release(f.as('leo'), { project: 'alpha', labelingProject: 'defects', path: 'img/0000.jpg' }));
    assert.equal(await next('lena', 'defects', 1), ['img/0000.jpg']);
  });

  test('submit without overlap stages at once, stamps the labeler, keeps model reviews and is idempotent', async () => {
    await f.addItems('alpha', itemsNamed(3));
    await create('defects', { schema: { ...SCHEMA, tools: ['classes', 'box'] } });
    await member('defects', 'lena');
    const [path] = await next('lena', 'defects');
    const bad = await refused(submit('lena', 'defects', path!, [{ id: 'x', kind: 'box', label: 'rust', box: [0, 0, 5, 5] }]), 'INVALID_INPUT');
    assert.is((bad.data as { field: string }).field, 'annotations/0/label');
    await refused(submit('lena', 'defects', path!, [{ id: 'x', kind: 'box', label: 'dent', box: [0, 0, 0, 5] }]), 'INVALID_INPUT');

    const proposal = { id: 'm1', kind: 'box', label: 'dent', box: [1, 2, 3, 4], source: { type: 'model', model: 'det-v1', confidence: 0.4 }, review: { decision: 'edited', by: 'lena' } };
    const annotations = [{ id: 'a1', kind: 'box', label: 'scratch', box: [10, 10, 20, 5] }, proposal];
    const first = await submit('lena', 'defects', path!, annotations, 'sub-1');
    assert.equal(first, { path: path!, status: 'done', committed: null });
    const item = await branchItem(path!);
    assert.equal(item.annotations, [{ ...annotations[0], source: { type: 'human', author: 'lena', time: f.clock.now().toISOString() } }, proposal]);
    // A retry of the same submission changes nothing and gets the same answer.
    assert.equal(await submit('lena', 'defects', path!, annotations, 'sub-1'), first);
    const history = await f.labeling.history(f.as('lena'), { project: 'alpha', dataset: 'inspections', path: path! });
    assert.equal(history.map((e) => e.action), ['submit']);
    // Another submission of a done task is refused.
    await refused(submit('lena', 'defects', path!, annotations, 'sub-2'), 'TASK_CONFLICT');
    const lp = await f.labeling.getProject(f.as('olga'), 'alpha', 'defects');
    assert.equal(await f.labeling.progress(lp), { total: 3, unlabeled: 2, leased: 0, inReview: 0, done: 1, skipped: 0, uncommitted: 1 });
  });

  test('skip takes the item out of that labeler\'s queue only, with its reason recorded', async () => {
    await f.addItems('alpha', itemsNamed(2));
    await create('defects');
    for (const user of ['lena', 'leo']) await member('defects', user);
    await refused(f.labeling.skip(f.as('lena'), { project: 'alpha', labelingProject: 'defects', path: 'img/0000.jpg', reason: ' ' }), 'INVALID_INPUT');
    assert.ok(await f.labeling.skip(f.as('lena'), { project: 'alpha', labelingProject: 'defects', path: 'img/0000.jpg', reason: 'blurred' }));
    assert.equal(await next('lena', 'defects', 5), ['img/0001.jpg']);
    const lp = await f.labeling.getProject(f.as('olga'), 'alpha', 'defects');
    assert.equal(await f.labeling.progress(lp), { total: 2, unlabeled: 0, leased: 1, inReview: 0, done: 0, skipped: 1, uncommitted: 0 });
    assert.equal(await next('leo', 'defects', 5), ['img/0000.jpg']);
    const [event] = await f.labeling.history(f.as('olga'), { project: 'alpha', dataset: 'inspections', path: 'img/0000.jpg' });
    assert.equal([event!.action, event!.user, event!.comment, event!.labelingProject], ['skip', 'lena', 'blurred', 'defects']);
    const dashboard = await f.labeling.dashboard(f.as('olga'), { project: 'alpha', labelingProject: 'defects' });
    assert.equal(dashboard.labelers.map((l) => [l.user, l.skipped, l.submitted]), [['lena', 1, 0]]);
  });

  test('overlap: each overlapped item gets two different labelers; agreement stages the consensus, disagreement goes to review', async () => {
    await f.addItems('alpha', itemsNamed(2));
    await create('pairs', { overlap: 2, overlapFraction: 1, reviewThreshold: 0.7 });
    for (const user of ['lena', 'leo', 'lars']) await member('pairs', user);
    assert.equal(await next('lena', 'pairs', 5), ['img/0000.jpg', 'img/0001.jpg']);
    assert.equal(await next('leo', 'pairs', 5), ['img/0000.jpg', 'img/0001.jpg']);
    assert.equal(await next('lars', 'pairs', 5), [], 'both slots of both items are taken');

    assert.is((await submit('lena', 'pairs', 'img/0000.jpg', classOf('dent'))).status, 'waiting');
    assert.is((await branchItem('img/0000.jpg')).annotations, null, 'nothing staged before the second label');
    assert.equal(await next('lena', 'pairs', 5), ['img/0001.jpg'], 'never the same labeler twice');
    assert.is((await submit('leo', 'pairs', 'img/0000.jpg', classOf('dent', 'b7'))).status, 'done');
    assert.equal(((await branchItem('img/0000.jpg')).annotations as { id: string; label: string }[]).map((a) => [a.id, a.label]), [['a1', 'dent']], 'the first submission of the agreed class');

    await submit('lena', 'pairs', 'img/0001.jpg', classOf('dent'));
    assert.is((await submit('leo', 'pairs', 'img/0001.jpg', classOf('ok'))).status, 'review');
    assert.is((await branchItem('img/0001.jpg')).annotations, null);
    const [queued] = await f.labeling.reviewQueue(f.as('olga'), { project: 'alpha', labelingProject: 'pairs' });
    assert.equal([queued!.path, queued!.agreement, queued!.submissions.map((s) => s.user)], ['img/0001.jpg', 0, ['lena', 'leo']]);
    assert.match(queued!.reason, /below the threshold 0.7/);
    const dashboard = await f.labeling.dashboard(f.as('olga'), { project: 'alpha', labelingProject: 'pairs' });
    // Two items, two raters: dent/dent and dent/ok. pₒ = 1/2; pₑ = (2·1 + 0·1)/4 = 1/2 for
    // dent·dent... by label shares a = {dent: 2}, b = {dent: 1, ok: 1}: pₑ = (2·1)/4 = 1/2, so κ = 0.
    assert.equal(dashboard.agreement, { items: 2, meanKappa: 0, meanIoU: null, belowThreshold: 1 });
  });

  test('review: lowest agreement first; accept stages corrections, reject sends the item back with history kept', async () => {
    await f.addItems('alpha', itemsNamed(2));
    await create('boxes', { overlap: 2, overlapFraction: 1, reviewThreshold: 0.9 });
    for (const user of ['lena', 'leo']) await member('boxes', user);
    await member('boxes', 'rita', 'reviewer');
    await next('lena', 'boxes', 2);
    await next('leo', 'boxes', 2);
    const box = (b: number[]) => [{ id: 'b1', kind: 'box', label: 'dent', box: b }];
    // IoU 0.5: [0,0,10,10] against [0,0,10,5]. IoU 1/3: against [5,0,10,10] (50 / 150).
    await submit('lena', 'boxes', 'img/0000.jpg', box([0, 0, 10, 10]));
    await submit('leo', 'boxes', 'img/0000.jpg', box([0, 0, 10, 5]));
    await submit('lena', 'boxes', 'img/0001.jpg', box([0, 0, 10, 10]));
    await submit('leo', 'boxes', 'img/0001.jpg', box([5, 0, 10, 10]));
    const queue = await f.labeling.reviewQueue(f.as('rita'), { project: 'alpha', labelingProject: 'boxes' });
    assert.equal(queue.map((t) => t.path), ['img/0001.jpg', 'img/0000.jpg']);
    assert.ok(Math.abs(queue[0]!.agreement! - 1 / 3) < 1e-9 && Math.abs(queue[1]!.agreement! - 0.5) < 1e-9);
    await refused(f.labeling.reviewQueue(f.as('lena'), { project: 'alpha', labelingProject: 'boxes' }), 'FORBIDDEN');

    const accepted = await f.labeling.review(f.as('rita'), { project: 'alpha', labelingProject: 'boxes', path: 'img/0000.jpg', decision: 'accept', annotations: box([0, 0, 10, 8]) });
    assert.is(accepted.action, 'review.accept');
    assert.equal(((await branchItem('img/0000.jpg')).annotations as { box: number[]; source: { author: string } }[]).map((a) => [a.box, a.source.author]), [[[0, 0, 10, 8], 'rita']]);
    await refused(f.labeling.review(f.as('rita'), { project: 'alpha', labelingProject: 'boxes', path: 'img/0001.jpg', decision: 'maybe' }), 'INVALID_INPUT');

    const rejected = await f.labeling.review(f.as('rita'), { project: 'alpha', labelingProject: 'boxes', path: 'img/0001.jpg', decision: 'reject', comment: 'the dent is on the left' });
    assert.equal([rejected.action, rejected.comment], ['review.reject', 'the dent is on the left']);
    assert.equal(await f.labeling.reviewQueue(f.as('rita'), { project: 'alpha', labelingProject: 'boxes' }), []);
    assert.equal(await next('lena', 'boxes', 2), ['img/0001.jpg'], 'the rejected item is back in the queue');
    await refused(f.labeling.review(f.as('rita'), { project: 'alpha', labelingProject: 'boxes', path: 'img/0001.jpg', decision: 'accept' }), 'TASK_CONFLICT');
    const history = await f.labeling.history(f.as('olga'), { project: 'alpha', dataset: 'inspections', path: 'img/0001.jpg' });
    assert.equal(history.map((e) => [e.action, e.user]), [['review.reject', 'rita'], ['submit', 'leo'], ['submit', 'lena']]);
    const dashboard = await f.labeling.dashboard(f.as('olga'), { project: 'alpha', labelingProject: 'boxes' });
    assert.equal(dashboard.labelers.map((l) => [l.user, l.submitted, l.accepted, l.rejected]), [['lena', 2, 1, 1], ['leo', 2, 1, 1]]);
    assert.equal(dashboard.agreement.items, 1, 'the rejected round no longer counts');
    assert.ok(Math.abs(dashboard.agreement.meanIoU! - 0.5) < 1e-9);
  });

  test('commits: on demand and every N edits; history names the commit and snapshot', async () => {
    await f.addItems('alpha', itemsNamed(4));
    await create('defects', { autoCommitEvery: 2 });
    await member('defects', 'lena');
    await member('defects', 'rita', 'reviewer');
    await next('lena', 'defects', 4);
    assert.is((await submit('lena', 'defects', 'img/0000.jpg', classOf('ok'))).committed, null);
    const second = await submit('lena', 'defects', 'img/0001.jpg', classOf('dent'));
    assert.is(second.committed?.items, 2);
    const ref = { project: parseProjectName('alpha'), dataset: parseDatasetName('inspections') };
    const head = await f.engine.getBranch(ref, parseBranchName('to-label'));
    assert.is(head.head, second.committed!.commit);
    assert.match((await f.engine.getCommit(head.head)).message, 'labels: 2 items (defects)');

    await submit('lena', 'defects', 'img/0002.jpg', classOf('scratch'));
    await refused(f.labeling.commit(f.as('vic'), { project: 'alpha', labelingProject: 'defects' }), 'FORBIDDEN');
    // The labeler may commit its own work, as it may commit its branch.
    const manual = await f.labeling.commit(f.as('lena'), { project: 'alpha', labelingProject: 'defects', message: 'reviewed batch' });
    assert.is(manual?.items, 1);
    assert.is(await f.labeling.commit(f.as('rita'), { project: 'alpha', labelingProject: 'defects' }), null, 'nothing staged');
    const commit = await f.engine.getCommit(manual!.commit as never);
    assert.is(commit.snapshot, manual!.snapshot);
    const history = await f.labeling.history(f.as('lena'), { project: 'alpha', dataset: 'inspections', path: 'img/0002.jpg' });
    assert.equal(history.map((e) => [e.action, e.commit, e.snapshot]), [
      ['commit', manual!.commit, manual!.snapshot],
      ['submit', manual!.commit, manual!.snapshot],
    ]);
    const lp = await f.labeling.getProject(f.as('olga'), 'alpha', 'defects');
    assert.is((await f.labeling.progress(lp)).uncommitted, 0);
    assert.is((await f.labeling.progress(lp)).total, 4, 'label commits change no task');
  });

  test('dataset order is the path order of the snapshot (code points); a rejected class proposal is no second class', async () => {
    await f.addItems('alpha', [{ path: 'img/raccoon-2.jpg' }, { path: 'img/raccoon-10.jpg' }, { path: 'img/raccoon-1.jpg' }]);
    await create('defects');
    await member('defects', 'lena');
    assert.equal(await next('lena', 'defects', 3), ['img/raccoon-1.jpg', 'img/raccoon-10.jpg', 'img/raccoon-2.jpg']);
    const proposal = { ...classOf('ok', 'p1')[0], source: { type: 'model', model: 'm1', confidence: 0.6 }, review: { decision: 'rejected', by: 'lena' } };
    await submit('lena', 'defects', 'img/raccoon-1.jpg', [proposal, ...classOf('dent', 'a1')]);
    const labels = (await branchItem('img/raccoon-1.jpg')).annotations as { label: string }[];
    assert.equal(labels.map((a) => a.label), ['ok', 'dent']);
    await refused(submit('lena', 'defects', 'img/raccoon-10.jpg', [...classOf('ok', 'a1'), ...classOf('dent', 'a2')]), 'INVALID_INPUT');
  });

  test('items added to the branch later become tasks; removed ones leave; queue orders', async () => {
    await f.addItems('alpha', itemsNamed(3, (i) => ({ priority: [5, -1, 2.5][i]! })));
    await create('by-priority', { queueOrder: 'meta:priority' });
    await member('by-priority', 'lena');
    assert.equal(await next('lena', 'by-priority', 3), ['img/0001.jpg', 'img/0002.jpg', 'img/0000.jpg']);
    await f.addItems('alpha', [{ path: 'late/a.jpg', meta: { priority: -10 } }, { path: 'late/b.jpg' }]);
    const lp = await f.labeling.getProject(f.as('olga'), 'alpha', 'by-priority');
    assert.is((await f.labeling.progress(lp)).total, 5);
    // Held tasks first, then the new ones in order.
    assert.equal(await next('lena', 'by-priority', 5), ['img/0001.jpg', 'img/0002.jpg', 'img/0000.jpg', 'late/a.jpg', 'late/b.jpg']);
    await create('by-priority-2', { queueOrder: 'meta:priority' });
    await member('by-priority-2', 'leo');
    assert.equal(await next('leo', 'by-priority-2', 5), ['late/a.jpg', 'img/0001.jpg', 'img/0002.jpg', 'img/0000.jpg', 'late/b.jpg'], 'negative first, missing last');

    await f.labeling.updateProject(f.as('olga'), { project: 'alpha', name: 'by-priority', queueOrder: 'random' });
    await create('shuffled', { queueOrder: 'random' });
    await member('shuffled', 'lena');
    const shuffled = await next('lena', 'shuffled', 5);
    assert.equal([...shuffled].sort(), ['img/0000.jpg', 'img/0001.jpg', 'img/0002.jpg', 'late/a.jpg', 'late/b.jpg']);
    await refused(f.labeling.updateProject(f.as('olga'), { project: 'alpha', name: 'shuffled', queueOrder: 'meta:' }), 'INVALID_INPUT');

    const ref = { project: parseProjectName('alpha'), dataset: parseDatasetName('inspections') };
    await f.engine.stage(ref, parseBranchName('to-label'), [{ path: 'late/b.jpg', delete: true } as never]);
    await f.engine.commit(ref, parseBranchName('to-label'), { author: 'setup', message: 'drop one' });
    const after = await f.labeling.getProject(f.as('olga'), 'alpha', 'shuffled');
    assert.is((await f.labeling.progress(after)).total, 4);
  });

  test('access: members only, while they may label the branch; other projects are forbidden; unknown names are not found', async () => {
    await f.addItems('alpha', itemsNamed(2));
    await f.addItems('beta', itemsNamed(2));
    await create('defects');
    await create('secret');
    await member('defects', 'lena');
    await member('defects', 'rita', 'reviewer');
    assert.equal((await f.labeling.listProjects(f.as('lena'), 'alpha')).map((p) => [p.name, p.myRole]), [['defects', 'labeler']]);
    assert.equal((await f.labeling.listProjects(f.as('vic'), 'alpha')).map((p) => [p.name, p.myRole]), [['defects', null], ['secret', null]]);
    await refused(f.labeling.getProject(f.as('lena'), 'alpha', 'secret'), 'FORBIDDEN');
    await refused(next('lena', 'secret'), 'FORBIDDEN');
    await refused(next('vic', 'defects'), 'FORBIDDEN');
    await refused(next('rita', 'defects'), 'FORBIDDEN');
    await refused(f.labeling.getProject(f.as('lena'), 'alpha', 'nope'), 'NOT_FOUND');
    await refused(next('lena', 'defects', 1).then(() => f.labeling.nextTasks(f.as('lena', ['read']), { project: 'alpha', labelingProject: 'defects' })), 'FORBIDDEN');
    await refused(member('defects', 'nobody'), 'NOT_FOUND');
    await refused(member('defects', 'leo', 'boss'), 'INVALID_INPUT');

    // A labeler of beta sees nothing of alpha, whatever exists there.
    await refused(f.labeling.listProjects(f.as('bea'), 'alpha'), 'FORBIDDEN');
    await refused(f.labeling.getProject(f.as('bea'), 'alpha', 'defects'), 'FORBIDDEN');
    await refused(f.labeling.getProject(f.as('bea'), 'alpha', 'nope'), 'FORBIDDEN');
    await refused(f.labeling.nextTasks(f.as('bea'), { project: 'alpha', labelingProject: 'defects' }), 'FORBIDDEN');
    await refused(f.labeling.history(f.as('bea'), { project: 'alpha', dataset: 'inspections', path: 'img/0000.jpg' }), 'FORBIDDEN');
    await refused(f.labeling.dashboard(f.as('bea'), { project: 'alpha', labelingProject: 'defects' }), 'FORBIDDEN');

    // Unassigned from the branch, a labeler loses the labeling project too.
    await f.database.db.updateTable('memberships').set({ branches: [] }).where('user_id', '=', f.as('lena').userId!).execute();
    assert.equal(await f.labeling.listProjects(f.as('lena'), 'alpha'), []);
    await refused(next('lena', 'defects'), 'FORBIDDEN');

    // Every refusal is in the audit log.
    const denied = await f.database.db.selectFrom('audit_log').select(['action']).where('outcome', '=', 'denied').execute();
    assert.ok(denied.some((d) => d.action === 'labeling.lease'));
    const ok = await f.database.db.selectFrom('audit_log').select(['action']).where('outcome', '=', 'ok').execute();
    assert.ok(ok.some((d) => d.action === 'labeling.create') && ok.some((d) => d.action === 'labeling.member.set'));
  });

  test('dashboard: per-labeler throughput and median seconds between submissions', async () => {
    await f.addItems('alpha', itemsNamed(3));
    await create('defects');
    await member('defects', 'lena');
    await next('lena', 'defects', 3);
    await submit('lena', 'defects', 'img/0000.jpg', classOf('ok'));
    f.clock.advance(20_000);
    await submit('lena', 'defects', 'img/0001.jpg', classOf('ok'));
    f.clock.advance(160_000);
    await submit('lena', 'defects', 'img/0002.jpg', classOf('dent'));
    const dashboard = await f.labeling.dashboard(f.as('rita'), { project: 'alpha', labelingProject: 'defects' }).catch((e) => e);
    assert.is(dashboard.code, 'FORBIDDEN', 'rita is no member of this labeling project, and a labeler cannot read the project');
    const { labelers, progress } = await f.labeling.dashboard(f.as('olga'), { project: 'alpha', labelingProject: 'defects' });
    // 3 submissions over 180 s = 60 per hour; gaps 20 s and 160 s: median 90 s.
    assert.equal(labelers, [{ user: 'lena', submitted: 3, skipped: 0, accepted: 0, rejected: 0, perHour: 60, medianSeconds: 90 }]);
    assert.is(progress.done, 3);
  });

  return test;
}
