import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as assert from 'uvu/assert';
import type { JsonValue } from '../../../core/canonical-json.ts';
import type { As, TestServer } from '../../helpers/test-server.ts';

export const run = promisify(execFile);

/** An item to seed: its bytes, and optionally meta and annotations. */
export interface SeedItem {
  readonly path: string;
  readonly bytes: Buffer;
  readonly meta?: JsonValue;
  readonly annotations?: JsonValue;
}

/** GraphQL that must succeed, with no error member in its result. */
export async function ok<T = any>(api: TestServer, query: string, variables: Record<string, unknown> = {}, as?: As): Promise<T> {
  const body = await api.gql(query, variables, as);
  assert.not.ok(body.errors, JSON.stringify(body.errors));
  assert.not.match(JSON.stringify(body.data), /"__typename":"\w+Error"/, JSON.stringify(body.data));
  return body.data as T;
}

/**
 * Uploads the items' blobs to `project` and commits them on `dataset@main` (created when
 * `create`); returns the commit's snapshot hash.
 */
export async function commitItems(
  api: TestServer,
  options: { project?: string; dataset: string; create?: boolean; items: readonly SeedItem[]; remove?: readonly string[]; as?: As },
): Promise<string> {
  const project = options.project ?? 'default';
  const as = options.as;
  if (options.create !== false)
    await ok(api, `mutation($p: String!, $d: String!) { createDataset(project: $p, name: $d) { __typename ... on Error { message } } }`, { p: project, d: options.dataset }, as);
  const changes: Record<string, unknown>[] = [];
  const blobs = new Map<string, string>();
  for (const item of options.items) {
    const key = item.bytes.toString('base64');
    if (!blobs.has(key)) blobs.set(key, await api.upload(item.bytes, { project, token: as?.token }));
    changes.push({ path: item.path, blob: blobs.get(key), meta: item.meta ?? {}, annotations: item.annotations ?? null });
  }
  for (const path of options.remove ?? []) changes.push({ path, delete: true });
  for (let i = 0; i < changes.length; i += 500)
    await ok(
      api,
      `mutation($p: String!, $d: String!, $c: [ItemChangeInput!]!) { stageItems(project: $p, dataset: $d, branch: "main", changes: $c) { __typename ... on Error { message } } }`,
      { p: project, d: options.dataset, c: changes.slice(i, i + 500) },
      as,
    );
  const data = await ok(
    api,
    `mutation($p: String!, $d: String!) { commit(project: $p, dataset: $d, branch: "main", message: "seed") { __typename ... on CommitResult { commit { snapshot { hash } } } ... on Error { message } } }`,
    { p: project, d: options.dataset },
    as,
  );
  return data.commit.commit.snapshot.hash as string;
}

/** `GET` of a project's snapshot route, as the administrator unless told otherwise. */
export function getSnapshot(api: TestServer, hash: string, route: string, init: RequestInit & As & { project?: string } = {}): Promise<Response> {
  const { token, project, ...rest } = init;
  return fetch(`${api.url}/v1/projects/${project ?? 'default'}/snapshots/${hash}/${route}`, {
    ...rest,
    headers: { ...(rest.headers as Record<string, string> | undefined), ...api.headers({ token }) },
  });
}

/** A user with `role` in `project` and a token of theirs (read and write scopes). */
export async function memberToken(api: TestServer, name: string, project: string, role: string): Promise<string> {
  const { identity } = api.server.services;
  const admin = (await identity.authenticate({ bearer: api.adminToken }))!.actor;
  await identity.createUser(admin, { name });
  await identity.setMember(admin, { project, user: name, role: role as never, branches: [] });
  return (await identity.createToken(admin, { name: 'test', scopes: ['read', 'write'], user: name })).token;
}
