import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { AttemptLedger } from './attempt-ledger.ts';

const ROLES = ['owner', 'maintainer', 'labeler', 'viewer', 'auditor'] as const;
type Role = (typeof ROLES)[number];

/** What the outsider project holds; every attempt below tries to reach it from project alpha. */
interface Secret {
  blob: string;
  commit: string;
  snapshot: string;
}

/**
 * The security suite: every role of one project tries to read and change another project by
 * name, by hash and by path; each role tries what the role matrix forbids it; then bad
 * credentials, CSRF, oversized bodies and abusive queries. Each attempt must fail with its
 * typed error, and afterwards the state of both projects must be exactly what it was.
 */
export function securitySuite(kind: 'pglite' | 'postgres') {
  const test = suite(`security on ${kind}`);
  const ledger = new AttemptLedger();
  let api: TestServer;
  let scratch: ScratchDatabase | undefined;
  const tokens = {} as Record<Role | 'outsider' | 'readOnlyMaintainer', string>;
  let secret: Secret;
  let aliceCookie = '';
  let aliceCsrf = '';

  const as = (who: keyof typeof tokens) => ({ token: tokens[who] });
  async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, who?: keyof typeof tokens): Promise<T> {
    const body = await api.gql(query, variables, who ? as(who) : undefined);
    assert.not.ok(body.errors, JSON.stringify(body.errors));
    assert.not.match(JSON.stringify(body.data), /"__typename":"\w+Error"/, JSON.stringify(body.data));
    return body.data as T;
  }
  /** Runs a GraphQL attempt that must fail with `code`, wherever the error shows (union member or top-level). */
  async function refusedGql(what: string, who: keyof typeof tokens | null, code: string, query: string, variables: Record<string, unknown> = {}) {
    const body = await api.gql(query, variables, { token: who === null ? null : tokens[who] });
    ledger.expect(what, code, codeOf(body));
    ledger.checkAnswer(what, JSON.stringify(body));
  }
  async function refusedHttp(what: string, who: keyof typeof tokens | null, status: number, path: string, init: RequestInit = {}) {
    const headers = { ...(init.headers as Record<string, string>), ...(who === null ? {} : { authorization: `Bearer ${tokens[who]}` }) };
    const response = await fetch(`${api.url}${path}`, { ...init, headers });
    const text = await response.text();
    ledger.expect(what, String(status), String(response.status), text);
    ledger.checkAnswer(what, text);
    return text;
  }

  test.before(async () => {
    try {
      await setUp();
    } catch (error) {
      // uvu reports a failing hook without its cause.
      console.error(error);
      throw error;
    }
  });

  async function setUp() {
    scratch = kind === 'postgres' ? await createScratchDatabase() : undefined;
    api = await startTestServer({ databaseUrl: scratch?.url, maxRequestBytes: 64 * 1024, maxBlobBytes: 1024 * 1024 });
    const admin = (await api.server.services.identity.authenticate({ bearer: api.adminToken }))!.actor;
    const { identity } = api.server.services;
    for (const project of ['alpha', 'beta']) await ok(`mutation($n: String!) { createProject(name: $n) { ... on Project { name } } }`, { n: project });

    // Project beta's secret: a blob, a commit, a snapshot.
    const blob = await api.upload(`beta's secret ${randomBytes(8).toString('hex')}`, { project: 'beta' });
    await ok(`mutation { createDataset(project: "beta", name: "secret") { __typename ... on Dataset { name } ... on Error { message } } }`);
    await ok(`mutation($b: String!) { stageItems(project: "beta", dataset: "secret", branch: "main", changes: [{ path: "x.txt", blob: $b }]) { __typename ... on StageResult { count } ... on Error { message } } }`, { b: blob });
    const committed = await ok(`mutation { commit(project: "beta", dataset: "secret", branch: "main", message: "secret") { __typename ... on CommitResult { commit { id snapshot { hash } } } ... on Error { message } } }`);
    secret = { blob, commit: committed.commit.commit.id, snapshot: committed.commit.commit.snapshot.hash };

    // Project alpha: a dataset with an item on main and a branch for labeling.
    const mine = await api.upload('alpha image', { project: 'alpha' });
    await ok(`mutation { createDataset(project: "alpha", name: "images") { __typename ... on Dataset { name } ... on Error { message } } }`);
    await ok(`mutation($b: String!) { stageItems(project: "alpha", dataset: "images", branch: "main", changes: [{ path: "a.png", blob: $b }]) { __typename ... on StageResult { count } ... on Error { message } } }`, { b: mine });
    await ok(`mutation { commit(project: "alpha", dataset: "images", branch: "main", message: "first") { ... on CommitResult { created } } }`);
    await ok(`mutation { createBranch(project: "alpha", dataset: "images", name: "labels", from: "main") { ... on Branch { name } } }`);

    // One user per role in alpha, an outsider who owns beta only, and a read-only token of a maintainer.
    for (const role of ROLES) {
      await identity.createUser(admin, { name: `${role}-a` });
      await identity.setMember(admin, { project: 'alpha', user: `${role}-a`, role, branches: role === 'labeler' ? ['images@labels'] : [] });
      tokens[role] = (await identity.createToken(admin, { name: 'suite', scopes: ['read', 'write', 'admin'], user: `${role}-a` })).token;
    }
    await identity.createUser(admin, { name: 'outsider' });
    await identity.setMember(admin, { project: 'beta', user: 'outsider', role: 'owner' });
    tokens.outsider = (await identity.createToken(admin, { name: 'suite', scopes: ['read', 'write', 'admin'], user: 'outsider' })).token;
    tokens.readOnlyMaintainer = (await identity.createToken(admin, { name: 'ro', scopes: ['read'], user: 'maintainer-a' })).token;

    await identity.createUser(admin, { name: 'alice', password: 'correct horse battery staple' });
    await identity.setMember(admin, { project: 'alpha', user: 'alice', role: 'maintainer' });
    const login = await fetch(`${api.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: 'correct horse battery staple' }),
    });
    assert.is(login.status, 201, await login.clone().text());
    aliceCookie = login.headers.get('set-cookie')!.split(';')[0]!;
    aliceCsrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  }

  test.after(async () => {
    await api?.close();
    await scratch?.drop();
  });

  test('every role of alpha is refused project beta by name, and by path', async () => {
    const before = await fingerprint();
    for (const role of ROLES) {
      await refusedGql(`${role}: read beta's dataset`, role, 'FORBIDDEN', `{ dataset(project: "beta", name: "secret") { __typename ... on Error { code } } }`);
      await refusedGql(`${role}: read beta's item by path`, role, 'FORBIDDEN', `{ dataset(project: "beta", name: "secret") { ... on Dataset { item(path: "x.txt") { blob } } ... on Error { code } } }`);
      await refusedGql(`${role}: list beta's datasets`, role, 'FORBIDDEN', `{ project(name: "beta") { __typename ... on Error { code } } }`);
      await refusedGql(`${role}: create a dataset in beta`, role, 'FORBIDDEN', `mutation { createDataset(project: "beta", name: "planted") { __typename ... on Error { code } } }`);
      await refusedGql(`${role}: branch in beta`, role, 'FORBIDDEN', `mutation { createBranch(project: "beta", dataset: "secret", name: "x", from: "main") { __typename ... on Error { code } } }`);
      await refusedGql(`${role}: stage in beta`, role, 'FORBIDDEN', `mutation($b: String!) { stageItems(project: "beta", dataset: "secret", branch: "main", changes: [{ path: "y", blob: $b }]) { __typename ... on Error { code } } }`, { b: secret.blob });
      await refusedGql(`${role}: commit in beta`, role, 'FORBIDDEN', `mutation { commit(project: "beta", dataset: "secret", branch: "main", message: "x") { __typename ... on Error { code } } }`);
      await refusedGql(`${role}: diff in beta`, role, 'FORBIDDEN', `{ diff(project: "beta", from: "secret@main", to: "secret@main") { edges { node { path } } } }`);
      await refusedGql(`${role}: beta's audit log`, role, 'FORBIDDEN', `{ auditLog(project: "beta") { edges { node { seq } } } }`);
      await refusedHttp(`${role}: download from beta`, role, 403, `/v1/projects/beta/blobs/${secret.blob}`);
      await refusedHttp(`${role}: upload to beta`, role, 403, `/v1/projects/beta/blobs`, { method: 'PUT', body: 'planted' });
      await refusedHttp(`${role}: ask beta which blobs are missing`, role, 403, `/v1/projects/beta/blobs/missing`, jsonPost({ hashes: [secret.blob] }));
    }
    // A project that does not exist is refused exactly like one that does.
    await refusedGql('viewer: a project that does not exist', 'viewer', 'FORBIDDEN', `{ dataset(project: "nowhere", name: "x") { __typename ... on Error { code } } }`);
    assert.equal(await fingerprint(), before);
  });

  test("knowing beta's hashes grants nothing in alpha", async () => {
    const before = await fingerprint();
    for (const role of ROLES) {
      const ref = role === 'labeler' ? 'FORBIDDEN' : 'NOT_FOUND';
      await refusedGql(`${role}: beta's commit as a ref in alpha`, role, ref, `query($r: String!) { dataset(project: "alpha", name: "images") { ... on Dataset { ref(ref: $r) { kind } } ... on Error { code } } }`, { r: secret.commit });
      await refusedGql(`${role}: beta's snapshot as a ref in alpha`, role, ref, `query($r: String!) { dataset(project: "alpha", name: "images") { ... on Dataset { items(ref: $r) { edges { node { path } } } } ... on Error { code } } }`, { r: secret.snapshot });
      await refusedGql(`${role}: beta's snapshot by hash in alpha`, role, ref, `query($h: String!) { snapshot(project: "alpha", hash: $h) { __typename ... on Error { code } } }`, { h: secret.snapshot });
      await refusedGql(`${role}: diff against beta's commit`, role, ref, `query($h: String!) { diff(project: "alpha", from: $h, to: "images@main") { edges { node { path } } } }`, { h: secret.commit });
      await refusedHttp(`${role}: beta's blob through alpha (GET)`, role, 404, `/v1/projects/alpha/blobs/${secret.blob}`);
      await refusedHttp(`${role}: beta's blob through alpha (HEAD)`, role, 404, `/v1/projects/alpha/blobs/${secret.blob}`, { method: 'HEAD' });
      await refusedHttp(`${role}: beta's blob preview through alpha`, role, 404, `/v1/projects/alpha/blobs/${secret.blob}/preview`);
      await refusedHttp(`${role}: beta's blob in a batched download`, role, 404, `/v1/projects/alpha/blobs/fetch`, jsonPost({ hashes: [secret.blob] }));
    }
    for (const role of ['owner', 'maintainer'] as const) {
      await refusedGql(`${role}: branch from beta's commit`, role, 'NOT_FOUND', `mutation($f: String!) { createBranch(project: "alpha", dataset: "images", name: "stolen", from: $f) { __typename ... on Error { code } } }`, { f: secret.commit });
      await refusedGql(`${role}: tag beta's commit`, role, 'NOT_FOUND', `mutation($f: String!) { createTag(project: "alpha", dataset: "images", name: "stolen", ref: $f) { __typename ... on Error { code } } }`, { f: secret.commit });
      await refusedGql(`${role}: clone beta's snapshot`, role, 'NOT_FOUND', `mutation($f: String!) { cloneDataset(project: "alpha", source: "images", ref: $f, name: "stolen") { __typename ... on Error { code } } }`, { f: secret.snapshot });
      const head = (await ok(`{ dataset(project: "alpha", name: "images") { ... on Dataset { branch(name: "main") { head { id } } } } }`)).dataset.branch.head.id;
      await refusedGql(`${role}: fast-forward to beta's commit`, role, 'NOT_FOUND', `mutation($t: String!, $h: String!) { fastForwardBranch(project: "alpha", dataset: "images", name: "main", to: $t, expectedHead: $h) { __typename ... on Error { code } } }`, { t: secret.commit, h: head });
      await refusedGql(`${role}: stage an item naming beta's blob`, role, 'NOT_FOUND', `mutation($b: String!) { stageItems(project: "alpha", dataset: "images", branch: "main", changes: [{ path: "stolen", blob: $b }]) { __typename ... on Error { code } } }`, { b: secret.blob });
      // "Which are missing" answers for alpha alone: beta's blob is missing here, as if unknown.
      const missing = await fetch(`${api.url}/v1/projects/alpha/blobs/missing`, { ...jsonPost({ hashes: [secret.blob] }), headers: { 'content-type': 'application/json', ...api.headers(as(role)) } });
      ledger.expect(`${role}: missing-blobs answer does not reveal beta's blob`, JSON.stringify([secret.blob]), JSON.stringify(((await missing.json()) as { missing: string[] }).missing));
    }
    assert.equal(await fingerprint(), before);
  });

  test('each role is refused what the role matrix does not give it', async () => {
    const before = await fingerprint();
    const writes: [string, string][] = [
      ['create a dataset', `mutation { createDataset(project: "alpha", name: "new") { __typename ... on Error { code } } }`],
      ['create a branch', `mutation { createBranch(project: "alpha", dataset: "images", name: "new", from: "main") { __typename ... on Error { code } } }`],
      ['delete a branch', `mutation { deleteBranch(project: "alpha", dataset: "images", name: "labels") { __typename ... on Error { code } } }`],
      ['tag', `mutation { createTag(project: "alpha", dataset: "images", name: "v1", ref: "main") { __typename ... on Error { code } } }`],
      ['stage on main', `mutation { stageItems(project: "alpha", dataset: "images", branch: "main", changes: [{ path: "a.png", delete: true }]) { __typename ... on Error { code } } }`],
      ['merge', `mutation { merge(project: "alpha", dataset: "images", from: "labels", into: "main") { __typename ... on Error { code } } }`],
      ['clone', `mutation { cloneDataset(project: "alpha", source: "images", name: "copy") { __typename ... on Error { code } } }`],
    ];
    for (const role of ['labeler', 'viewer', 'auditor'] as const) {
      for (const [what, query] of writes) await refusedGql(`${role}: ${what}`, role, 'FORBIDDEN', query);
      await refusedHttp(`${role}: upload a blob`, role, 403, `/v1/projects/alpha/blobs`, { method: 'PUT', body: 'x' });
      await refusedHttp(`${role}: upload a tar of blobs`, role, 403, `/v1/projects/alpha/blobs/tar`, { method: 'POST', body: Buffer.alloc(1024) });
    }
    for (const role of ['viewer', 'auditor'] as const) {
      await refusedGql(`${role}: annotate`, role, 'FORBIDDEN', `mutation { annotateItems(project: "alpha", dataset: "images", branch: "labels", edits: [{ path: "a.png", annotations: { label: "cat" } }]) { __typename ... on Error { code } } }`);
      await refusedGql(`${role}: commit`, role, 'FORBIDDEN', `mutation { commit(project: "alpha", dataset: "images", branch: "labels", message: "x") { __typename ... on Error { code } } }`);
    }
    // Labelers work on their assigned branch only, and only on annotations.
    await refusedGql('labeler: read an unassigned branch', 'labeler', 'FORBIDDEN', `{ dataset(project: "alpha", name: "images") { ... on Dataset { items(ref: "main") { edges { node { path } } } } ... on Error { code } } }`);
    await refusedGql('labeler: annotate an unassigned branch', 'labeler', 'FORBIDDEN', `mutation { annotateItems(project: "alpha", dataset: "images", branch: "main", edits: [{ path: "a.png", annotations: 1 }]) { __typename ... on Error { code } } }`);
    await refusedGql('labeler: stage arbitrary changes on its branch', 'labeler', 'FORBIDDEN', `mutation { stageItems(project: "alpha", dataset: "images", branch: "labels", changes: [{ path: "a.png", delete: true }]) { __typename ... on Error { code } } }`);
    await refusedGql('labeler: list datasets', 'labeler', 'FORBIDDEN', `{ project(name: "alpha") { ... on Project { datasets { edges { node { name } } } } ... on Error { code } } }`);
    for (const role of ['maintainer', 'labeler', 'viewer', 'auditor'] as const)
      await refusedGql(`${role}: manage members`, role, 'FORBIDDEN', `mutation { setMember(project: "alpha", user: "outsider", role: "owner") { __typename ... on Error { code } } }`);
    for (const role of ['maintainer', 'labeler', 'viewer'] as const)
      await refusedGql(`${role}: read the audit log`, role, 'FORBIDDEN', `{ auditLog(project: "alpha") { edges { node { seq } } } }`);
    for (const role of ROLES)
      await refusedGql(`${role}: create a project`, role, 'FORBIDDEN', `mutation { createProject(name: "mine") { __typename ... on Error { code } } }`);
    await refusedGql('read-only token of a maintainer: create a branch', 'readOnlyMaintainer', 'FORBIDDEN', writes[1]![1]);
    await refusedGql('read-only token: mint a write token', 'readOnlyMaintainer', 'FORBIDDEN', `mutation { createToken(name: "up", scopes: ["read", "write"]) { __typename ... on Error { code } } }`);
    assert.equal(await fingerprint(), before);

    // What the roles are given works (so the refusals above are about roles, not a broken API).
    const labeled = await ok(`mutation { annotateItems(project: "alpha", dataset: "images", branch: "labels", edits: [{ path: "a.png", annotations: { label: "cat" } }]) { __typename ... on StageResult { count } ... on Error { message } } }`, {}, 'labeler');
    assert.is(labeled.annotateItems.count, 1);
    const item = await ok(`{ dataset(project: "alpha", name: "images") { ... on Dataset { item(ref: "labels", path: "a.png") { annotations } } } }`, {}, 'labeler');
    assert.equal(item.dataset.item.annotations, { label: 'cat' });
    await ok(`mutation { commit(project: "alpha", dataset: "images", branch: "labels", message: "labels") { ... on CommitResult { created } } }`, {}, 'labeler');
    await ok(`{ dataset(project: "alpha", name: "images") { ... on Dataset { items(ref: "main") { edges { node { path } } } } } }`, {}, 'viewer');
    await ok(`{ auditLog(project: "alpha", first: 5) { edges { node { seq } } } }`, {}, 'auditor');
  });

  test('credentials: none, malformed, expired, revoked; CSRF on cookie sessions', async () => {
    const before = await fingerprint();
    await refusedGql('no credential', null, 'UNAUTHENTICATED', `{ projects { edges { node { name } } } }`);
    await refusedHttp('no credential: download', null, 401, `/v1/projects/alpha/blobs/${'a'.repeat(64)}`);
    await refusedHttp('malformed Authorization header', null, 401, '/graphql', { ...jsonPost({ query: '{ projects { edges { node { name } } } }' }), headers: { 'content-type': 'application/json', authorization: 'Basic abc' } });
    await refusedHttp('unknown token', null, 401, '/graphql', { ...jsonPost({ query: '{ projects { edges { node { name } } } }' }), headers: { 'content-type': 'application/json', authorization: `Bearer shf_${'a'.repeat(12)}_${'b'.repeat(43)}` } });

    const admin = (await api.server.services.identity.authenticate({ bearer: api.adminToken }))!.actor;
    const { identity } = api.server.services;
    const soon = await identity.createToken(admin, { name: 'short', scopes: ['read'], expiresAt: new Date(Date.now() + 1500).toISOString(), user: 'viewer-a' });
    const fresh = await api.gql(`{ projects { edges { node { name } } } }`, {}, { token: soon.token });
    assert.not.ok(fresh.errors, 'the token works until it expires');
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const expired = await api.gql(`{ projects { edges { node { name } } } }`, {}, { token: soon.token });
    ledger.expect('expired token (by its own request)', 'UNAUTHENTICATED', codeOf(expired));

    const revoked = await identity.createToken(admin, { name: 'gone', scopes: ['read', 'write'], user: 'maintainer-a' });
    await identity.revokeToken(admin, revoked.info.id);
    const afterRevoke = await api.gql(`mutation { createBranch(project: "alpha", dataset: "images", name: "z", from: "main") { __typename } }`, {}, { token: revoked.token });
    ledger.expect('revoked token', 'UNAUTHENTICATED', codeOf(afterRevoke));

    // A cookie session: reads work, state changes need the CSRF token.
    const mutation = JSON.stringify({ query: 'mutation { createBranch(project: "alpha", dataset: "images", name: "csrf", from: "main") { __typename } }' });
    const withCookie = (extra: Record<string, string>) => ({ method: 'POST', body: mutation, headers: { 'content-type': 'application/json', cookie: aliceCookie, ...extra } });
    await refusedHttp('cookie mutation without X-CSRF-Token', null, 403, '/graphql', withCookie({}));
    await refusedHttp('cookie mutation with a wrong X-CSRF-Token', null, 403, '/graphql', withCookie({ 'x-csrf-token': 'forged' }));
    await refusedHttp('cookie upload without X-CSRF-Token', null, 403, '/v1/projects/alpha/blobs', { method: 'PUT', body: 'x', headers: { cookie: aliceCookie } });
    const read = await fetch(`${api.url}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ projects { edges { node { name } } } }' }), headers: { 'content-type': 'application/json', cookie: aliceCookie, 'x-csrf-token': aliceCsrf } });
    assert.is(read.status, 200);
    assert.equal(await fingerprint(), before);
    const allowed = await fetch(`${api.url}/graphql`, withCookie({ 'x-csrf-token': aliceCsrf }));
    assert.is(((await allowed.json()) as any).data.createBranch.__typename, 'Branch');
    await ok(`mutation { deleteBranch(project: "alpha", dataset: "images", name: "csrf") { __typename } }`);
  });

  test('oversized bodies and abusive queries are refused before they run', async () => {
    const before = await fingerprint();
    const big = 'x'.repeat(70 * 1024);
    await refusedHttp('GraphQL body over the limit', 'owner', 413, '/graphql', jsonPost({ query: `{ projects { edges { node { name } } } } # ${big}` }));
    await refusedHttp('blob over the limit', 'owner', 413, '/v1/projects/alpha/blobs', { method: 'PUT', body: Buffer.alloc(1024 * 1024 + 1) });
    await refusedHttp('missing-blobs body over 1 MiB', 'owner', 413, '/v1/projects/alpha/blobs/missing', jsonPost({ hashes: [big.repeat(16)] }));
    const deep = `{ dataset(project: "alpha", name: "images") { ... on Dataset { log { edges { node { parents { parents { parents { parents { parents { parents { parents { parents { id } } } } } } } } } } } } } }`;
    await refusedGql('query deeper than the limit', 'owner', 'QUERY_TOO_DEEP', deep);
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: projects { edges { node { name } } }`).join(' ');
    await refusedGql('too many aliases', 'owner', 'TOO_MANY_ALIASES', `{ ${aliases} }`);
    const costly = `{ project(name: "alpha") { ... on Project { datasets(first: 500) { edges { node { branches(first: 500) { edges { node { staged(first: 500) { edges { node { path } } } } } } } } } } } }`;
    await refusedGql('query costlier than the limit', 'owner', 'QUERY_TOO_COSTLY', costly);
    assert.equal(await fingerprint(), before);
  });

  test('each credential has its own request budget; over it, 429 with Retry-After', async () => {
    const limited = await startTestServer({ rateLimitPerMinute: 5, databaseUrl: undefined });
    try {
      const query = (token: string | null) => limited.gql(`{ projects { edges { node { name } } } }`, {}, { token });
      for (let i = 0; i < 5; i++) assert.not.ok((await query(limited.adminToken)).errors);
      const over = await fetch(`${limited.url}/graphql`, { ...jsonPost({ query: '{ projects { edges { node { name } } } }' }), headers: { 'content-type': 'application/json', ...limited.headers() } });
      ledger.expect('sixth request in a minute with a budget of five', '429', String(over.status));
      assert.ok(Number(over.headers.get('retry-after')) > 0);
      ledger.expect('over budget: RATE_LIMITED', 'RATE_LIMITED', ((await over.json()) as { error: { code: string } }).error.code);
      // Requests without a credential are counted by client address, apart from the token's.
      ledger.expect('anonymous requests have a budget of their own', 'UNAUTHENTICATED', codeOf(await query(null)));
    } finally {
      await limited.close();
    }
  });

  test('refusals are in the audit log, and the chain verifies', async () => {
    const denied = await ok(`{ auditLog(project: "alpha", outcome: "denied", first: 500) { edges { node { action actor outcome errorCode } } } }`, {}, 'auditor');
    const entries = denied.auditLog.edges.map((e: any) => e.node);
    assert.ok(entries.length >= 20, `only ${entries.length} denied entries`);
    assert.ok(entries.every((e: any) => e.outcome === 'denied' && e.errorCode === 'FORBIDDEN'));
    assert.ok(entries.some((e: any) => e.actor === 'labeler-a' && e.action === 'items.stage'));
    const verified = await ok(`{ verifyAuditLog(project: "alpha") { ... on AuditVerification { ok checked problem } } }`, {}, 'auditor');
    assert.ok(verified.verifyAuditLog.ok, verified.verifyAuditLog.problem);
  });

  if (kind === 'postgres') {
    test('editing one audit entry in the database is detected', async () => {
      const client = new pg.Client({ connectionString: scratch!.url });
      await client.connect();
      try {
        await client.query(`update audit_log set target = 'images@nothing-happened' where seq = (select min(seq) from audit_log where outcome = 'denied')`);
      } finally {
        await client.end();
      }
      const verified = await ok(`{ verifyAuditLog(project: "alpha") { ... on AuditVerification { ok firstBadSeq problem } } }`, {}, 'auditor');
      ledger.expect('tampered audit entry goes unnoticed', 'false', String(verified.verifyAuditLog.ok), verified.verifyAuditLog.problem);
      assert.ok(verified.verifyAuditLog.firstBadSeq > 0);
    });
  }

  test('summary', () => {
    const { attempted, refused, wrong } = ledger.summary();
    console.log(`security (${kind}): ${attempted} attempts, ${refused} refused as expected, ${wrong.length} not`);
    assert.equal(wrong, []);
    assert.ok(attempted > 150);
  });

  /** Everything both projects hold: branch heads, staged changes, blobs, as the administrator sees them. */
  async function fingerprint(): Promise<string> {
    const parts: string[] = [];
    for (const project of ['alpha', 'beta']) {
      const datasets = await ok(`query($p: String!) { project(name: $p) { ... on Project { datasets(first: 20) { edges { node { name } } } } } }`, { p: project });
      for (const { node } of datasets.project.datasets.edges) {
        const data = await ok(
          `query($p: String!, $d: String!) { dataset(project: $p, name: $d) { ... on Dataset { name branches(first: 20) { edges { node { name head { id } staged(first: 20) { edges { node { path } } } } } } tags(first: 20) { edges { node { name } } } } } }`,
          { p: project, d: node.name },
        );
        parts.push(JSON.stringify(data));
      }
    }
    const blobs = await fetch(`${api.url}/v1/projects/alpha/blobs/missing`, { ...jsonPost({ hashes: [sha256('planted'), sha256('x')] }), headers: { 'content-type': 'application/json', ...api.headers() } });
    parts.push(await blobs.text());
    return parts.join('\n');
  }

  return test;
}

function jsonPost(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The error code an answer to a GraphQL request carries: a typed error in the data, a top-level
 * error, or the HTTP layer's own refusal (a bad token is refused before GraphQL runs).
 */
function codeOf(body: { data?: any; errors?: { extensions?: { code?: string } }[]; error?: { code?: string } }): string {
  if (body.error?.code) return body.error.code;
  const top = body.errors?.[0]?.extensions?.code;
  if (top) return top;
  const found = JSON.stringify(body.data ?? null).match(/"code":"([A-Z_]+)"/);
  return found?.[1] ?? `no error: ${JSON.stringify(body.data)}`;
}
