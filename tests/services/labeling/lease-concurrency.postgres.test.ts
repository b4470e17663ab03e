import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { itemsNamed, openLabelingFixture, SCHEMA, type LabelingFixture } from './labeling-fixture.ts';

const test = suite('concurrent leasing (postgres)');
let f: LabelingFixture;

test.before(async () => {
  f = await openLabelingFixture('postgres');
  await f.addItems('alpha', itemsNamed(60));
  await f.labeling.createProject(f.as('olga'), { project: 'alpha', name: 'race', dataset: 'inspections', branch: 'to-label', schema: SCHEMA });
  await f.labeling.createProject(f.as('olga'), { project: 'alpha', name: 'race-pairs', dataset: 'inspections', branch: 'to-label', schema: SCHEMA, overlap: 2, overlapFraction: 1 });
  for (const lp of ['race', 'race-pairs'])
    for (const user of ['lena', 'leo', 'lars']) await f.labeling.setMember(f.as('olga'), { project: 'alpha', labelingProject: lp, user, role: 'labeler' });
});
test.after(async () => {
  await f?.close();
});

const lease = async (user: string, lp: string, count: number) =>
  (await f.labeling.nextTasks(f.as(user), { project: 'alpha', labelingProject: lp, count, exclude: [] })).map((t) => t.path);

test('labelers asking at the same moment never get the same single-label item', async () => {
  const taken = new Map<string, string>();
  // Four rounds of three labelers at once, each taking 5 more (held tasks are excluded by
  // asking with a growing count: held ones come first, then new ones).
  for (let round = 1; round <= 4; round++) {
    const results = await Promise.all(['lena', 'leo', 'lars'].map(async (user) => ({ user, paths: await lease(user, 'race', round * 5) })));
    for (const { user, paths } of results)
      for (const path of paths) {
        const holder = taken.get(path);
        assert.ok(holder === undefined || holder === user, `${path} leased to ${holder} and ${user}`);
        taken.set(path, user);
      }
  }
  assert.is(taken.size, 60, 'every item leased once');
});

test('on overlapped items, at most two labelers hold each item, never one twice', async () => {
  const check = (results: { user: string; paths: string[] }[]) => {
    const holders = new Map<string, Set<string>>();
    for (const { user, paths } of results) {
      assert.is(new Set(paths).size, paths.length, `${user} got an item twice`);
      for (const path of paths) holders.set(path, (holders.get(path) ?? new Set()).add(user));
    }
    for (const [path, users] of holders) assert.ok(users.size <= 2, `${path}: ${[...users]}`);
    return [...holders.values()].reduce((sum, users) => sum + users.size, 0);
  };
  const users = ['lena', 'leo', 'lars'];
  check(await Promise.all(users.map(async (user) => ({ user, paths: await lease(user, 'race-pairs', 40) }))));
  // Whatever a contended call left short, asking again (one at a time) fills up: afterwards a
  // labeler holding fewer than 40 has nothing left it could take.
  const final = [];
  for (const user of users) final.push({ user, paths: await lease(user, 'race-pairs', 40) });
  check(final);
  for (const { user, paths } of final) if (paths.length < 40) assert.equal(await lease(user, 'race-pairs', 40), paths);
});

test.run();
