import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Database } from '../../../adapters/db/database.ts';
import { auditRowOf, KyselyAuditStore } from '../../../adapters/db/kysely-audit-store.ts';
import { KyselyMembershipStore } from '../../../adapters/db/kysely-membership-store.ts';
import { canonicalJson, type JsonObject } from '../../../core/canonical-json.ts';
import { CoreError, ForbiddenError, InvalidInputError, UnauthenticatedError } from '../../../core/errors.ts';
import type { ProjectName } from '../../../core/ids.ts';
import { AccessControl } from '../../../services/access/access-control.ts';
import type { Role } from '../../../services/access/roles.ts';
import type { Actor, Scope } from '../../../services/actor.ts';
import { GENESIS_HASH, type AuditEntry } from '../../../services/audit/audit-entry.ts';
import type { AuditEvent } from '../../../services/audit/audit-event.ts';
import { auditEntryHash } from '../../../services/audit/audit-hash.ts';
import { AuditLog, MAX_AUDIT_JSON_BYTES } from '../../../services/audit/audit-log.ts';
import { verifyChain } from '../../../services/audit/verify-chain.ts';
import { databaseKinds, openTestDatabase, type DatabaseKind, type TestDatabase } from '../../helpers/databases.ts';

const START = Date.parse('2024-05-01T00:00:00Z');

interface Fixture {
  readonly db: Kysely<Database>;
  readonly store: KyselyAuditStore;
  readonly log: AuditLog;
  readonly actors: Record<ActorName, Actor>;
  /** An event by `actor` (the owner by default) that went well. */
  event(overrides?: Partial<AuditEvent>): AuditEvent;
  /** Every entry, oldest first. */
  all(): Promise<AuditEntry[]>;
}

function actorOf(userId: string, name: string, options: { isAdmin?: boolean; scopes?: Scope[] } = {}): Actor {
  return { userId, name, isAdmin: options.isAdmin ?? false, credential: { kind: 'token', id: `t-${name}` }, scopes: new Set(options.scopes ?? ['read', 'write']) };
}


type ActorName = 'owner' | 'auditor' | 'viewer' | 'outsider' | 'admin';

/**
 * Projects vision and speech; vision has an owner, an auditor and a viewer, speech only the
 * owner; the outsider is in neither; the admin administers the instance. Set up once per
 * database (opening PGlite takes seconds); each test then starts from an empty log.
 */
async function openShared(kind: DatabaseKind): Promise<{ database: TestDatabase; actors: Record<ActorName, Actor> }> {
  const database = await openTestDatabase(kind);
  const { db } = database;
  const vision = await database.store.refs.createProject('vision' as ProjectName);
  const speech = await database.store.refs.createProject('speech' as ProjectName);
  const names: ActorName[] = ['owner', 'auditor', 'viewer', 'outsider', 'admin'];
  const ids = Object.fromEntries(names.map((name) => [name, randomUUID()])) as Record<ActorName, string>;
  await db.insertInto('users').values(names.map((name) => ({ id: ids[name], name, password_hash: null, is_admin: name === 'admin' }))).execute();
  const member = (project: string, user: string, role: Role) => ({ project_id: project, user_id: user, role });
  await db
    .insertInto('memberships')
    .values([member(vision.id, ids.owner, 'owner'), member(vision.id, ids.auditor, 'auditor'), member(vision.id, ids.viewer, 'viewer'), member(speech.id, ids.owner, 'owner')])
    .execute();
  const actors = {
    owner: actorOf(ids.owner, 'owner'),
    auditor: actorOf(ids.auditor, 'auditor'),
    viewer: actorOf(ids.viewer, 'viewer'),
    outsider: actorOf(ids.outsider, 'outsider'),
    admin: actorOf(ids.admin, 'admin', { isAdmin: true, scopes: ['read', 'write', 'admin'] }),
  };
  return { database, actors };
}

/** An empty log with a fresh AuditLog over it, whose clock ticks one second per entry from START. */
async function freshFixture(shared: { database: TestDatabase; actors: Record<ActorName, Actor> }): Promise<Fixture> {
  const { db } = shared.database;
  await db.deleteFrom('audit_log').execute();
  await db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).execute();
  let tick = 0;
  const store = new KyselyAuditStore(db);
  const log = new AuditLog({ store, clock: () => new Date(START + 1000 * tick++) });
  log.useAccessControl(new AccessControl({ memberships: new KyselyMembershipStore(db), audit: log }));
  const { actors } = shared;
  return {
    db,
    store,
    log,
    actors,
    event: (overrides = {}) => ({ actor: actors.owner, action: 'branch.commit', project: 'vision', target: 'images@main', inputs: {}, outcome: 'ok', ...overrides }),
    all: () => store.scan(0, 1_000_000),
  };
}

async function rejects<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, type);
    return error as T;
  }
  throw new Error(`expected a ${type.name}, but it resolved`);
}

for (const kind of databaseKinds) {
  const test = suite(`AuditLog on ${kind}`);
  let shared: Awaited<ReturnType<typeof openShared>> | undefined;
  test.before(async () => void (shared = await openShared(kind)));
  test.after(async () => shared?.database.close());
  const withFixture = async (work: (f: Fixture) => Promise<void>) => work(await freshFixture(shared!));

  test('entries are numbered from 1; each hash covers its fields and the previous hash', async () => {
    await withFixture(async ({ log, store, actors, event, all }) => {
      await log.record(event({ inputs: { b: 2, a: [1, { d: true, c: null }] }, result: { commit: 'ab'.repeat(32) } }));
      await log.record(event({ actor: actors.viewer, outcome: 'denied', errorCode: 'FORBIDDEN', project: null, target: null }));
      await log.record(event({ result: null }));
      await log.record({ ...event(), actor: { ...actors.admin, userId: null, credential: { kind: 'system', id: 'startup' } } });
      const entries = await all();
      assert.equal(entries.map((e) => e.seq), [1, 2, 3, 4]);
      let previous = GENESIS_HASH;
      for (const entry of entries) {
        assert.is(entry.prevHash, previous);
        assert.is(entry.hash, auditEntryHash(entry));
        assert.ok(/^[0-9a-f]{64}$/.test(entry.hash));
        previous = entry.hash;
      }
      const [first, second, third, fourth] = entries as [AuditEntry, AuditEntry, AuditEntry, AuditEntry];
      assert.is(first.inputs, '{"a":[1,{"c":null,"d":true}],"b":2}');
      assert.is(first.result, `{"commit":"${'ab'.repeat(32)}"}`);
      assert.equal(first.at, new Date(START));
      assert.is(first.credential, 'token:t-owner');
      assert.is(first.actorId, actors.owner.userId);
      assert.equal([second.actorName, second.outcome, second.errorCode, second.project, second.target, second.result], ['viewer', 'denied', 'FORBIDDEN', null, null, null]);
      assert.is(third.result, 'null');
      assert.equal([fourth.actorId, fourth.credential], [null, 'system:startup']);
      assert.equal(await store.head(), { seq: 4, hash: fourth.hash });
    });
  });

  test('50 concurrent records are numbered 1 to 50 in one valid chain', async () => {
    await withFixture(async ({ log, actors, event, all }) => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => log.record(event({ target: `images@b${i}` }))));
      const entries = await all();
      assert.equal(entries.map((e) => e.seq), Array.from({ length: 50 }, (_, i) => i + 1));
      assert.is(new Set(entries.map((e) => e.target)).size, 50);
      const verification = await log.verify(actors.admin);
      assert.equal(verification, { ok: true, checked: 50, headSeq: 50, headHash: entries[49]!.hash, firstBadSeq: null, problem: null });
    });
  });

  test('an append rolled back with its transaction leaves no gap', async () => {
    await withFixture(async ({ db, log, store, actors, event, all }) => {
      await log.record(event());
      const failure = new Error('the mutation failed');
      const draft = { at: new Date(), actorId: null, actorName: 'sheaf', credential: 'system:test', action: 'x', project: null, target: null, inputs: '{}', outcome: 'ok' as const, errorCode: null, result: null };
      const thrown = await rejects(
        db.transaction().execute(async (trx) => {
          assert.is((await new KyselyAuditStore(trx).append(draft)).seq, 2);
          throw failure;
        }),
        Error,
      );
      assert.is(thrown, failure);
      assert.is((await store.head()).seq, 1);
      await log.record(event());
      assert.equal((await all()).map((e) => e.seq), [1, 2]);
      assert.ok((await log.verify(actors.admin)).ok);
    });
  });

  test('verify finds edited, missing and unchained entries and a head that does not match', async () => {
    await withFixture(async ({ db, log, store, actors, event, all }) => {
      for (let i = 1; i <= 20; i++) await log.record(event({ target: `images@b${i}`, inputs: { n: i } }));
      const sound = await all();
      const head = await store.head();
      const restore = async () => {
        await db.deleteFrom('audit_log').execute();
        await db.insertInto('audit_log').values(sound.map(auditRowOf)).execute();
        await db.updateTable('audit_head').set(head).execute();
      };
      const expectProblem = async (firstBadSeq: number, problem: string) => {
        // A small page size so the walk crosses page boundaries; then the service's own walk.
        for (const verification of [await verifyChain(store, 3), await log.verify(actors.admin)])
          assert.equal(verification, { ok: false, checked: firstBadSeq - 1, headSeq: head.seq, headHash: head.hash, firstBadSeq, problem });
        await restore();
        assert.equal(await verifyChain(store, 3), { ok: true, checked: 20, headSeq: 20, headHash: head.hash, firstBadSeq: null, problem: null });
      };
      const entry = (seq: number) => sound[seq - 1]!;
      const evil = 'images@evil';

      await db.updateTable('audit_log').set({ target: evil }).where('seq', '=', 7).execute();
      await expectProblem(7, 'entry 7 was edited (its hash does not match its content)');

      await db.updateTable('audit_log').set({ at: new Date(entry(5).at.getTime() + 1) }).where('seq', '=', 5).execute();
      await expectProblem(5, 'entry 5 was edited (its hash does not match its content)');

      await db.deleteFrom('audit_log').where('seq', '=', 7).execute();
      await expectProblem(7, 'entry 7 is missing');

      await db.updateTable('audit_log').set({ target: evil, hash: auditEntryHash({ ...entry(7), target: evil }) }).where('seq', '=', 7).execute();
      await expectProblem(8, 'entry 8 does not follow entry 7 (prev_hash mismatch)');

      const forged = { ...entry(1), prevHash: 'ff'.repeat(32) };
      await db.updateTable('audit_log').set({ prev_hash: forged.prevHash, hash: auditEntryHash(forged) }).where('seq', '=', 1).execute();
      await expectProblem(1, 'entry 1 does not start the chain (its prev_hash is not the genesis hash)');

      await db.deleteFrom('audit_log').where('seq', '=', 20).execute();
      await expectProblem(20, 'the head names entry 20 but the log ends at 19');

      const beyond = { ...entry(20), seq: 21, prevHash: entry(20).hash };
      await db.insertInto('audit_log').values(auditRowOf({ ...beyond, hash: auditEntryHash(beyond) })).execute();
      await expectProblem(21, 'entry 21 lies past the head');

      await db.updateTable('audit_head').set({ hash: 'ee'.repeat(32) }).execute();
      assert.equal(await log.verify(actors.admin), {
        ok: false,
        checked: 20,
        headSeq: 20,
        headHash: 'ee'.repeat(32),
        firstBadSeq: 20,
        problem: "the head's hash is not that of entry 20",
      });
      await restore();

      // What the chain alone cannot catch: the tail removed and the head moved back with it.
      // Only a copy of the head hash kept elsewhere shows that 20 entries once existed.
      await db.deleteFrom('audit_log').where('seq', '=', 20).execute();
      await db.updateTable('audit_head').set({ seq: 19, hash: entry(19).hash }).execute();
      const rewritten = await log.verify(actors.admin);
      assert.equal([rewritten.ok, rewritten.headSeq, rewritten.headHash === head.hash], [true, 19, false]);
    });
  });

  test('an empty log verifies, and a head edited on it does not', async () => {
    await withFixture(async ({ db, log, actors }) => {
      assert.equal(await log.verify(actors.admin), { ok: true, checked: 0, headSeq: 0, headHash: GENESIS_HASH, firstBadSeq: null, problem: null });
      await db.updateTable('audit_head').set({ hash: 'ee'.repeat(32) }).execute();
      assert.is((await log.verify(actors.admin)).problem, 'the head of the empty log is not the genesis hash');
    });
  });

  test('queries filter by project, actor, action (exact or prefix), outcome and time, newest first, in pages', async () => {
    await withFixture(async ({ log, actors, event }) => {
      // One entry per second from START: entry n is at START + (n - 1) s.
      const recorded: AuditEvent[] = [
        event({ action: 'branch.commit' }),
        event({ action: 'branch.merge', actor: actors.auditor }),
        event({ action: 'branchx.commit' }),
        event({ action: 'tag.create', outcome: 'failed', errorCode: 'ALREADY_EXISTS' }),
        event({ action: 'branch.commit', project: 'speech' }),
        event({ action: 'user.create', project: null, target: null, actor: actors.admin }),
        event({ action: 'branch.commit', outcome: 'denied', errorCode: 'FORBIDDEN', actor: actors.viewer }),
      ];
      for (const e of recorded) await log.record(e);
      const seqs = async (query: Parameters<AuditLog['query']>[1], actor = actors.auditor) => (await log.query(actor, query)).map((e) => e.seq);

      assert.equal(await seqs({ project: 'vision', limit: 100 }), [7, 4, 3, 2, 1]);
      assert.equal(await seqs({ limit: 100 }, actors.admin), [7, 6, 5, 4, 3, 2, 1]);
      assert.equal(await seqs({ project: 'speech', limit: 100 }, actors.owner), [5]);
      assert.equal(await seqs({ project: 'vision', actor: 'auditor', limit: 100 }), [2]);
      assert.equal(await seqs({ project: 'vision', action: 'branch.commit', limit: 100 }), [7, 1]);
      assert.equal(await seqs({ project: 'vision', action: 'branch.', limit: 100 }), [7, 2, 1]);
      assert.equal(await seqs({ project: 'vision', action: 'branch', limit: 100 }), []);
      assert.equal(await seqs({ action: 'user.', limit: 100 }, actors.admin), [6]);
      assert.equal(await seqs({ project: 'vision', outcome: 'denied', limit: 100 }), [7]);
      assert.equal(await seqs({ project: 'vision', outcome: 'failed', limit: 100 }), [4]);
      assert.equal(await seqs({ project: 'vision', since: '2024-05-01T00:00:01Z', until: '2024-05-01T00:00:03Z', limit: 100 }), [3, 2]);
      assert.equal(await seqs({ project: 'vision', since: '2024-05-01T02:00:03+02:00', limit: 100 }), [7, 4]);
      assert.equal(await seqs({ project: 'vision', until: '2024-05-01', limit: 100 }), []);

      const pages: number[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await log.query(actors.auditor, { project: 'vision', after, limit: 2 });
        if (page.length === 0) break;
        pages.push(page.map((e) => e.seq));
        after = String(page[page.length - 1]!.seq);
      }
      assert.equal(pages, [[7, 4], [3, 2], [1]]);
    });
  });

  test('reading a project\'s log needs audit.read there; the whole log needs an administrator', async () => {
    await withFixture(async ({ log, store, actors, event }) => {
      await log.record(event());
      assert.is((await log.query(actors.auditor, { project: 'vision', limit: 10 })).length, 1);
      assert.is((await log.query(actors.owner, { project: 'vision', limit: 10 })).length, 1);
      assert.ok((await log.verify(actors.auditor, 'vision')).ok);

      const refusals: [Actor | null, string | undefined][] = [
        [actors.viewer, 'vision'],
        [actors.outsider, 'vision'],
        [actors.auditor, 'speech'],
        [actors.auditor, 'no-such-project'],
        [{ ...actors.auditor, scopes: new Set<Scope>(['write']) }, 'vision'],
        [actors.owner, undefined],
        [{ ...actors.admin, scopes: new Set<Scope>(['read', 'write']) }, undefined],
      ];
      for (const [actor, project] of refusals) {
        const before = (await store.head()).seq;
        await rejects(log.query(actor, { project, limit: 10 }), ForbiddenError);
        await rejects(log.verify(actor, project), ForbiddenError);
        // Each refusal is recorded; reading itself is not.
        const denials = await store.scan(before, 10);
        assert.equal(denials.map((e) => [e.actorName, e.action, e.outcome, e.project]), [
          [actor!.name, 'audit.query', 'denied', project ?? null],
          [actor!.name, 'audit.verify', 'denied', project ?? null],
        ]);
      }
      await rejects(log.query(null, { project: 'vision', limit: 10 }), UnauthenticatedError);
      await rejects(log.verify(null), UnauthenticatedError);
      const head = await store.head();
      assert.is((await log.query(actors.admin, { limit: 100 })).length, head.seq);
      assert.is((await store.head()).seq, head.seq);
      assert.ok((await log.verify(actors.admin)).ok);
    });
  });

  test('bad query input is refused before anything is read or recorded', async () => {
    await withFixture(async ({ log, store, actors, event }) => {
      await log.record(event());
      const head = await store.head();
      const bad = [
        { project: 'vision', limit: 0 },
        { project: 'vision', limit: 10, since: 'yesterday' },
        { project: 'vision', limit: 10, since: '2024-05-02', until: '2024-05-01' },
        { project: 'vision', limit: 10, outcome: 'fine' },
        { project: 'vision', limit: 10, after: 'seven' },
        { project: 'not a name', limit: 10 },
      ];
      // An outsider too: bad input is named before access is checked, so no refusal is recorded.
      for (const query of bad)
        for (const actor of [actors.auditor, actors.outsider]) await rejects(log.query(actor, query), InvalidInputError);
      await rejects(log.verify(actors.auditor, ''), InvalidInputError);
      assert.equal(await store.head(), head);
    });
  });

  test('inputs or results with secret-named keys are refused and nothing is written', async () => {
    await withFixture(async ({ log, store, event }) => {
      const refused: Partial<AuditEvent>[] = [
        { inputs: { password: 'hunter2' } },
        { inputs: { user: { name: 'ada', Password: 'x' } } },
        { inputs: { list: [{ ok: 1 }, { apiToken: 'x' }] } },
        { inputs: { client_secret: 'x' } },
        { inputs: { token: 'x' } },
        { inputs: {}, result: { session: { csrf_token: 'x' } } },
      ];
      for (const overrides of refused) {
        const error = await rejects(log.record(event(overrides)), Error);
        assert.not.instance(error, CoreError);
      }
      assert.is((await store.head()).seq, 0);
      const allowed: JsonObject = { tokenId: 't-1', tokens: 2, name: 'ci', scopes: ['read'] };
      await log.record(event({ inputs: allowed, result: { sessionId: 's-1' } }));
      assert.is((await store.head()).seq, 1);
    });
  });

  test('inputs or results too large to keep are kept by size and hash', async () => {
    await withFixture(async ({ log, actors, event }) => {
      const message = 'é\n'.repeat(MAX_AUDIT_JSON_BYTES / 4);
      const inputs = canonicalJson({ message });
      const fits = { message: 'x'.repeat(MAX_AUDIT_JSON_BYTES - '{"message":""}'.length) };
      const entry = await log.append(event({ inputs: { message }, result: fits }));
      const bytes = Buffer.byteLength(inputs);
      assert.ok(bytes > MAX_AUDIT_JSON_BYTES);
      assert.equal(JSON.parse(entry.inputs), { oversized: { bytes, sha256: createHash('sha256').update(inputs).digest('hex') } });
      assert.is(entry.result, canonicalJson(fits));
      assert.ok((await log.verify(actors.admin)).ok);
    });
  });

  test('queries need the access control to be wired', async () => {
    await withFixture(async ({ store, actors }) => {
      const unwired = new AuditLog({ store });
      const error = await rejects(unwired.query(actors.admin, { limit: 1 }), Error);
      assert.match(error.message, 'useAccessControl');
    });
  });

  test.run();
}

