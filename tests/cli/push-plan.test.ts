import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { changesOf, filesToSend, isEmptyPlan, planPush, type LocalFile, type RemoteItem } from '../../cli/push-plan.ts';
import { MAX_STAGE_BATCH, stageBatches } from '../../cli/stage-and-commit.ts';

const test = suite('planPush');
const hash = (c: string) => c.repeat(64);

const local = (path: string, blob: string, size = 1): LocalFile => ({ path, absolutePath: `/src/${path}`, blob: hash(blob), size });
const remote = (path: string, blob: string, extra: Partial<RemoteItem> = {}): RemoteItem => ({
  path,
  blob: hash(blob),
  size: 1,
  meta: {},
  annotations: null,
  ...extra,
});

test('same files, same content: nothing to do', () => {
  const plan = planPush([local('a', 'a'), local('b/c', 'b')], [remote('a', 'a'), remote('b/c', 'b')]);
  assert.ok(isEmptyPlan(plan));
  assert.equal(changesOf(plan), []);
});

test('added, modified (different blob) and removed, by path', () => {
  const plan = planPush(
    [local('keep', '1'), local('changed', '2'), local('new', '3')],
    [remote('keep', '1'), remote('changed', '9'), remote('gone', '4')],
  );
  assert.equal(plan.added.map((f) => f.path), ['new']);
  assert.equal(plan.modified.map((m) => m.local.path), ['changed']);
  assert.equal(plan.removed.map((r) => r.path), ['gone']);
  assert.equal(filesToSend(plan).map((f) => f.path), ['new', 'changed']);
});

test('a rename is a removal and an addition of the same blob', () => {
  const plan = planPush([local('new-name', 'a')], [remote('old-name', 'a')]);
  assert.equal([plan.added.length, plan.modified.length, plan.removed.length], [1, 0, 1]);
});

test('changes: puts carry the blob; modified items keep meta and annotations; removals delete', () => {
  const plan = planPush(
    [local('new', '3'), local('changed', '2')],
    [remote('changed', '9', { meta: { camera: 3 }, annotations: { label: 'dent' } }), remote('gone', '4')],
  );
  assert.equal(changesOf(plan), [
    { path: 'new', blob: hash('3') },
    { path: 'changed', blob: hash('2'), meta: { camera: 3 }, annotations: { label: 'dent' } },
    { path: 'gone', delete: true },
  ]);
});

test('empty directory against a full branch removes everything', () => {
  const plan = planPush([], [remote('a', 'a'), remote('b', 'b')]);
  assert.equal(changesOf(plan), [
    { path: 'a', delete: true },
    { path: 'b', delete: true },
  ]);
});

test('stage batches hold at most MAX_STAGE_BATCH changes and keep the order', () => {
  const changes = Array.from({ length: 2 * MAX_STAGE_BATCH + 3 }, (_, i) => ({ path: `p${i}`, delete: true as const }));
  const batches = stageBatches(changes);
  assert.equal(batches.map((b) => b.length), [MAX_STAGE_BATCH, MAX_STAGE_BATCH, 3]);
  assert.equal(batches.flat(), changes);
});

test('stage batches also stay under a few MiB of JSON when annotations are large', () => {
  const big = 'x'.repeat(1024 * 1024);
  const changes = Array.from({ length: 10 }, (_, i) => ({ path: `p${i}`, blob: hash('a'), annotations: { note: big } }));
  const batches = stageBatches(changes);
  assert.ok(batches.length >= 3, `${batches.length} batches`);
  for (const batch of batches) assert.ok(JSON.stringify(batch).length < 5 * 1024 * 1024);
  assert.equal(batches.flat(), changes);
});

test.run();
