import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsBlobStore } from '../../../adapters/blob/fs-blob-store.ts';
import { readEventStream } from '../../../cli/event-stream.ts';
import { createScratchDatabase, type DatabaseKind, type ScratchDatabase } from '../../helpers/databases.ts';
import { startTestServer, type As, type TestServer } from '../../helpers/test-server.ts';
import { corruptStoredBlob } from '../../server/http/http-fixture.ts';

const JOB = 'id kind state attempts cancelRequested createdBy result input progress { done total rate etaSeconds updatedAt } failure { code message detail }';
const ENQUEUE = `mutation($kind: String!, $input: JSON!, $timeoutSeconds: Int) {
  enqueueJob(project: "default", kind: $kind, input: $input, timeoutSeconds: $timeoutSeconds) { __typename ... on Job { ${JOB} } ... on Error { code message } } }`;
const GET = `query($id: String!) { job(project: "default", id: $id) { __typename ... on Job { ${JOB} } ... on Error { code message } } }`;
const SUBSCRIBE = `subscription($id: String!) { jobProgress(project: "default", id: $id) { ${JOB} } }`;

/** The events of a subscription over SSE, parsed, until the server ends the stream. */
async function subscribe(api: TestServer, id: string, as?: As): Promise<{ event: string; payload: any }[]> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { ...api.headers(as), 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: SUBSCRIBE, variables: { id } }),
  });
  assert.is(response.headers.get('content-type')?.split(';')[0], 'text/event-stream');
  const events: { event: string; payload: any }[] = [];
  for await (const { event, data } of readEventStream(response.body as unknown as AsyncIterable<Uint8Array>)) events.push({ event, payload: data === '' ? null : JSON.parse(data) });
  return events;
}

export function jobsApiSuite(kind: DatabaseKind) {
  const test = suite(`jobs over GraphQL and SSE on ${kind}`);
  let api: TestServer;
  let scratch: ScratchDatabase | null = null;
  let dataDir: string;
  let viewerToken: string;

  const gql = async (query: string, variables: Record<string, unknown>, as?: As) => {
    const result = await api.gql(query, variables, as);
    assert.is(result.errors, undefined, JSON.stringify(result.errors));
    return result.data;
  };
  const enqueue = async (kind: string, input: unknown, as?: As) => (await gql(ENQUEUE, { kind, input }, as)).enqueueJob;

  test.before(async () => {
    scratch = kind === 'postgres' ? await createScratchDatabase() : null;
    dataDir = await mkdtemp(join(tmpdir(), 'sheaf-jobs-api-'));
    api = await startTestServer({ dataDir, ...(scratch ? { databaseUrl: scratch.url } : {}) });
    api.server.services.jobs.registerHandler('test.count', async ({ input, progress, signal }) => {
      const items = (input as { items: number }).items;
      progress(0, items);
      for (let done = 1; done <= items; done++) {
        await sleep(100, undefined, { signal });
        progress(done, items);
      }
      return { counted: items };
    });
    api.server.services.jobs.registerHandler('test.block', async ({ signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      throw signal.reason;
    });
    await gql('mutation { createUser(name: "vera") { __typename } }', {});
    await gql('mutation { setMember(project: "default", user: "vera", role: "viewer") { __typename } }', {});
    const created = await gql('mutation { createToken(name: "v", scopes: ["read", "write"], user: "vera") { ... on CreatedToken { token } } }', {});
    viewerToken = created.createToken.token;
  });
  test.after(async () => {
    await api.close();
    await rm(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  });

  test('a running job shows its progress through the job query and streams it over SSE until it ends', async () => {
    const job = await enqueue('test.count', { items: 12 });
    assert.is(job.__typename, 'Job');
    assert.is(job.state, 'queued');
    const streamed = subscribe(api, job.id);
    // Awaited below; until then a failed assertion must not leave its rejection unhandled.
    streamed.catch(() => {});
    // Meanwhile, the plain query sees the job move.
    let polled: any;
    for (;;) {
      polled = (await gql(GET, { id: job.id })).job;
      if (polled.state !== 'queued' && polled.state !== 'running') break;
      if (polled.state === 'running' && polled.progress.done > 0) break;
      await sleep(50);
    }
    assert.is(polled.state, 'running', JSON.stringify(polled));
    assert.ok(polled.progress.done > 0 && polled.progress.done < 12);
    assert.is(polled.progress.total, 12);
    assert.ok(polled.progress.updatedAt);

    const events = await streamed;
    assert.is(events[events.length - 1]!.event, 'complete');
    const updates = events.filter((e) => e.event === 'next').map((e) => e.payload.data.jobProgress);
    const last = updates[updates.length - 1];
    assert.is(last.state, 'succeeded');
    assert.equal(last.result, { counted: 12 });
    assert.is(last.progress.done, 12);
    const midway = updates.filter((u) => u.state === 'running' && u.progress.done > 0 && u.progress.done < 12);
    assert.ok(midway.length >= 2, `updates: ${updates.map((u) => `${u.state}:${u.progress.done}`).join(' ')}`);
    assert.ok(midway.some((u) => u.progress.rate > 0 && u.progress.etaSeconds !== null));
    assert.is(updates.filter((u) => u.state === 'succeeded').length, 1, 'the final state is sent once, last');
  });

  test('subscribing to a finished job sends its final state and ends; refusals come as errors in the stream', async () => {
    const [done] = (await gql('{ jobs(project: "default", state: succeeded, first: 1) { edges { node { id } } } }', {})).jobs.edges;
    const events = await subscribe(api, done.node.id);
    assert.equal(events.map((e) => e.event), ['next', 'complete']);
    assert.is(events[0]!.payload.data.jobProgress.state, 'succeeded');

    const unknown = await subscribe(api, '00000000-0000-4000-8000-000000000000');
    assert.is(unknown[0]!.payload.errors[0].extensions.code, 'NOT_FOUND');
    const anonymous = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIBE, variables: { id: done.node.id } }),
    });
    const text = await anonymous.text();
    assert.match(text, 'UNAUTHENTICATED');
    assert.not.match(text, '"jobProgress":{');
  });

  test('viewers read jobs but may not enqueue or cancel them', async () => {
    const asViewer = { token: viewerToken };
    const refused = await enqueue('test.count', { items: 1 }, asViewer);
    assert.equal([refused.__typename, refused.code], ['ForbiddenError', 'FORBIDDEN']);
    const list = await gql('{ jobs(project: "default") { edges { node { id state } } } }', {}, asViewer);
    assert.ok(list.jobs.edges.length > 0);
    const events = await subscribe(api, list.jobs.edges[0].node.id, asViewer);
    assert.is(events[events.length - 1]!.event, 'complete');
    const cancel = await gql('mutation($id: String!) { cancelJob(project: "default", id: $id) { __typename ... on Error { code } } }', { id: list.jobs.edges[0].node.id }, asViewer);
    assert.is(cancel.cancelJob.code, 'FORBIDDEN');
  });

  test('cancelJob ends a running job; a finished one answers JOB_FINISHED', async () => {
    const job = await enqueue('test.block', {});
    const streamed = subscribe(api, job.id);
    // Awaited below; until then a failed assertion must not leave its rejection unhandled.
    streamed.catch(() => {});
    for (;;) {
      if ((await gql(GET, { id: job.id })).job.state === 'running') break;
      await sleep(50);
    }
    const CANCEL = 'mutation($id: String!) { cancelJob(project: "default", id: $id) { __typename ... on Job { state cancelRequested } ... on JobFinishedError { code finished: state } } }';
    const asked = (await gql(CANCEL, { id: job.id })).cancelJob;
    assert.equal(asked, { __typename: 'Job', state: 'running', cancelRequested: true });
    const events = await streamed;
    const updates = events.filter((e) => e.event === 'next').map((e) => e.payload.data.jobProgress);
    assert.is(updates[updates.length - 1].state, 'cancelled');
    const [done] = (await gql('{ jobs(project: "default", state: succeeded, first: 1) { edges { node { id } } } }', {})).jobs.edges;
    assert.equal((await gql(CANCEL, { id: done.node.id })).cancelJob, { __typename: 'JobFinishedError', code: 'JOB_FINISHED', finished: 'succeeded' });
  });

  test('snapshot.verify reads back every blob: intact passes; a damaged blob fails the job, naming the item', async () => {
    const contents = ['one', 'two', 'three', 'four', 'five'].map((word) => `${word}\n`.repeat(100));
    const hashes = await Promise.all(contents.map((content) => api.upload(content)));
    await gql('mutation { createDataset(project: "default", name: "shots") { __typename } }', {});
    const changes = hashes.map((blob, i) => ({ path: `img/${i}.txt`, blob }));
    await gql('mutation($c: [ItemChangeInput!]!) { stageItems(project: "default", dataset: "shots", branch: "main", changes: $c) { __typename } }', { c: changes });
    await gql('mutation { commit(project: "default", dataset: "shots", branch: "main", message: "m") { __typename } }', {});
    const verify = async () => {
      const job = await enqueue('snapshot.verify', { snapshot: 'shots@main' });
      assert.is(job.__typename, 'Job', JSON.stringify(job));
      const events = await subscribe(api, job.id);
      return events.filter((e) => e.event === 'next').map((e) => e.payload.data.jobProgress).pop();
    };
    const intact = await verify();
    assert.is(intact.state, 'succeeded', JSON.stringify(intact));
    assert.is(intact.result.items, 5);
    assert.is(intact.result.bytes, contents.reduce((sum, c) => sum + c.length, 0));
    assert.equal([intact.progress.done, intact.progress.total], [5, 5]);

    await corruptStoredBlob(new FsBlobStore({ root: join(dataDir, 'blobs') }), hashes[2]!, contents[2]!.charCodeAt(0));
    const damaged = await verify();
    assert.is(damaged.state, 'failed');
    assert.is(damaged.attempts, 1, 'corruption is not retried');
    assert.is(damaged.failure.code, 'CORRUPT_BLOBS');
    assert.is(damaged.failure.detail.badItems, 1);
    assert.equal(damaged.failure.detail.bad, [{ path: 'img/2.txt', blob: hashes[2], problem: 'corrupt' }]);

    const bad = await enqueue('snapshot.verify', { snap: 'shots' });
    assert.equal([bad.__typename, bad.code], ['InvalidInputError', 'INVALID_INPUT']);
  });

  return test;
}
