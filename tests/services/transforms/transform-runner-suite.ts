import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KyselyLineageStore } from '../../../adapters/db/kysely-lineage-store.ts';
import { KyselyTransformMemoStore } from '../../../adapters/db/kysely-transform-memo-store.ts';
import { ForbiddenError, InvalidInputError } from '../../../core/errors.ts';
import type { Transform } from '../../../core/transforms/transform.ts';
import { SCOPES, type Actor } from '../../../services/actor.ts';
import { BlobService } from '../../../services/blob-service.ts';
import { DatasetService } from '../../../services/dataset-service.ts';
import { TransformRunner } from '../../../services/transforms/transform-runner.ts';
import { openTestDatabase, type DatabaseKind, type TestDatabase } from '../../helpers/databases.ts';
import { serviceStack } from '../../helpers/service-stack.ts';
import { ownerOfProject } from '../../server/http/http-fixture.ts';

/** Upper-cases text files; rejects `.bin`; `suffix` is appended, so parameters change outputs. */
function upperCase(calls: string[]): Transform<{ suffix: string }> {
  return {
    kind: 'item',
    name: 'test.upper',
    version: '1',
    description: 'upper-cases text',
    parseParams(raw) {
      const suffix = raw.suffix ?? '';
      if (typeof suffix !== 'string') throw new InvalidInputError('suffix', 'must be a string');
      return { suffix };
    },
    async apply(input, params) {
      calls.push(input.path);
      if (input.path.endsWith('.bin')) return { rejected: 'not text' };
      const text = Buffer.from(await input.bytes()).toString('utf8').toUpperCase() + params.suffix;
      return [{ path: input.path, content: Buffer.from(text), meta: { ...input.meta, upper: true }, annotations: input.annotations, mediaType: 'text/plain' }];
    },
  };
}

export function transformRunnerSuite(kind: DatabaseKind) {
  const test = suite(`transform runner on ${kind}`);
  let database: TestDatabase;
  let dir: string;
  let owner: Actor;
  let viewer: Actor;
  let datasets: DatasetService;
  let blobs: BlobService;
  let runner: TransformRunner;
  let lineage: KyselyLineageStore;
  const calls: string[] = [];
  const project = 'prep';
  const never = new AbortController().signal;
  const noProgress = () => {};

  test.before(async () => {
    database = await openTestDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'sheaf-transform-'));
    const stack = serviceStack(database, { dir });
    const { access } = stack;
    ({ datasets, blobs } = stack);
    lineage = new KyselyLineageStore(database.db);
    const transform = upperCase(calls);
    runner = new TransformRunner({
      datasets,
      blobs,
      access,
      memo: new KyselyTransformMemoStore(database.db),
      lineage,
      transformNamed: (name) => (name === transform.name ? transform : undefined),
      maxImagePixels: 1e6,
    });
    owner = await ownerOfProject(database, project);
    viewer = { ...owner, userId: randomUUID(), name: 'viewer', credential: { kind: 'token', id: 'viewer' }, scopes: new Set(SCOPES) };
    await database.db.insertInto('users').values({ id: viewer.userId!, name: 'viewer' }).execute();
    const projectId = (await database.db.selectFrom('projects').select('id').where('name', '=', project).executeTakeFirstOrThrow()).id;
    await database.db.insertInto('memberships').values({ project_id: projectId, user_id: viewer.userId!, role: 'viewer' }).execute();

    await datasets.createDataset(owner, { project, dataset: 'raw' });
    await datasets.createDataset(owner, { project, dataset: 'clean' });
    await write({ 'a.txt': 'alpha', 'b.txt': 'beta', 'c.bin': 'binary', 'd/e.txt': 'epsilon' });
  });

  test.after(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function write(files: Record<string, string | null>) {
    const changes = [];
    for (const [path, text] of Object.entries(files))
      changes.push(text === null ? { path, delete: true as const } : { path, blob: (await blobs.put(owner, project, Buffer.from(text))).hash });
    await datasets.stage(owner, { project, dataset: 'raw' }, 'main', changes);
    await datasets.commit(owner, { project, dataset: 'raw' }, 'main', { message: 'files' });
  }

  async function texts(snapshot: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const item of await datasets.listSnapshotItems(owner, project, snapshot, { limit: 100 })) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of await blobs.open(owner, project, item.blob)) chunks.push(chunk);
      out[item.path] = Buffer.concat(chunks).toString();
    }
    return out;
  }

  const request = (params = {}) => ({ transform: 'test.upper', params, input: 'raw@main', output: { dataset: 'clean', branch: 'main' } });

  test('a first run computes every item, rejects what it cannot use, commits the output and records lineage', async () => {
    calls.length = 0;
    const progress: [number, number][] = [];
    const result = await runner.run(owner, project, request(), (done, total) => progress.push([done, total]), never);
    assert.equal([result.memoized, result.computed, result.reused], [false, 4, 0]);
    assert.equal(result.rejected, [{ path: 'c.bin', reason: 'not text' }]);
    assert.equal(await texts(result.outputSnapshot), { 'a.txt': 'ALPHA', 'b.txt': 'BETA', 'd/e.txt': 'EPSILON' });
    assert.equal(progress.at(-1), [4, 4]);
    const head = await datasets.getBranch(owner, { project, dataset: 'clean' }, 'main');
    assert.is(head.head, result.commit);
    const edges = await database.db.selectFrom('lineage_edges').selectAll().where('kind', '=', 'derived_from').execute();
    assert.equal(edges.map((e) => [e.source, e.target]), [[result.inputSnapshot, result.outputSnapshot]]);
    assert.match(edges[0]!.details, '"test.upper"');
  });

  test('the same run again returns the stored output at once; another parameter gives another output', async () => {
    const first = await runner.run(owner, project, request(), noProgress, never);
    calls.length = 0;
    const again = await runner.run(owner, project, request(), noProgress, never);
    assert.equal([again.memoized, again.computed, calls.length], [true, 0, 0]);
    assert.is(again.outputSnapshot, first.outputSnapshot);
    const other = await runner.run(owner, project, request({ suffix: '!' }), noProgress, never);
    assert.is.not(other.outputSnapshot, first.outputSnapshot);
    assert.is((await texts(other.outputSnapshot))['a.txt'], 'ALPHA!');
  });

  test('after a small change of the input only the changed items are recomputed, with the output a fresh run would give', async () => {
    await write({ 'b.txt': 'bravo', 'f.txt': 'foxtrot', 'd/e.txt': null });
    calls.length = 0;
    const result = await runner.run(owner, project, request(), noProgress, never);
    assert.equal(calls.sort(), ['b.txt', 'f.txt']);
    assert.equal([result.computed, result.reused], [2, 0]);
    assert.equal(await texts(result.outputSnapshot), { 'a.txt': 'ALPHA', 'b.txt': 'BRAVO', 'f.txt': 'FOXTROT' });
    assert.equal(result.rejected, [{ path: 'c.bin', reason: 'not text' }]);
    // The same items from scratch, in a dataset of their own: the same output hash.
    await datasets.cloneDataset(owner, { project, dataset: 'raw' }, 'main', { project, dataset: 'copy' });
    const fresh = await runner.run(owner, project, { ...request({ suffix: '' }), input: 'copy@main', output: { dataset: 'copy', branch: 'out' } }, noProgress, never);
    assert.is(fresh.outputSnapshot, result.outputSnapshot);
  });

  test('a run cut short commits nothing; its retry computes only what it had not', async () => {
    await write({ 'g.txt': 'golf', 'h.txt': 'hotel', 'i.txt': 'india', 'j.txt': 'juliet' });
    const before = (await datasets.getBranch(owner, { project, dataset: 'clean' }, 'main')).head;
    const abort = new AbortController();
    let seen = 0;
    const cut = await runner
      .run(owner, project, request(), (done) => {
        if (++seen === 2) abort.abort(new Error('cancelled'));
        void done;
      }, abort.signal)
      .then(() => null, (error: unknown) => error as Error);
    assert.ok(cut, 'the run stopped');
    assert.is((await datasets.getBranch(owner, { project, dataset: 'clean' }, 'main')).head, before);
    calls.length = 0;
    const retried = await runner.run(owner, project, request(), noProgress, never);
    assert.ok(calls.length < 4, `recomputed ${calls.length} of 4`);
    assert.equal(Object.keys(await texts(retried.outputSnapshot)).sort(), ['a.txt', 'b.txt', 'f.txt', 'g.txt', 'h.txt', 'i.txt', 'j.txt']);
  });

  test('bad parameters and roles without data.write are refused before anything runs', async () => {
    calls.length = 0;
    const bad = await runner.run(owner, project, request({ suffix: 3 }), noProgress, never).catch((e: unknown) => e);
    assert.instance(bad, InvalidInputError);
    const refused = await runner.run(viewer, project, request(), noProgress, never).catch((e: unknown) => e);
    assert.instance(refused, ForbiddenError);
    const unknown = await runner.run(owner, project, { ...request(), transform: 'no.such' }, noProgress, never).catch((e: unknown) => e);
    assert.instance(unknown, InvalidInputError);
    assert.equal(calls, []);
  });

  return test;
}
