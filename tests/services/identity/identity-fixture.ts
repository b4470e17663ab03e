import type { Kysely } from 'kysely';
import * as assert from 'uvu/assert';
import type { Database } from '../../../adapters/db/database.ts';
import { KyselyAuditStore } from '../../../adapters/db/kysely-audit-store.ts';
import { KyselyIdentityStore } from '../../../adapters/db/kysely-identity-store.ts';
import type { ProjectName } from '../../../core/ids.ts';
import { AccessControl } from '../../../services/access/access-control.ts';
import type { Actor, Scope } from '../../../services/actor.ts';
import { AuditLog } from '../../../services/audit/audit-log.ts';
import { IdentityService } from '../../../services/identity/identity-service.ts';
import { openTestDatabase, type DatabaseKind, type TestDatabase } from '../../helpers/databases.ts';

export const START = new Date('2025-03-01T08:00:00Z');
export const PASSWORD = 'correct horse battery';

/** A clock tests move by hand. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

/** Everything an identity test needs, on a fresh database bootstrapped with `admin`. */
export interface IdentityFixture {
  readonly database: TestDatabase;
  readonly db: Kysely<Database>;
  readonly store: KyselyIdentityStore;
  readonly identity: IdentityService;
  readonly access: AccessControl;
  readonly audit: AuditLog;
  readonly clock: TestClock;
  /** The bootstrap token of `admin`. */
  readonly adminToken: string;
  /** A fresh actor for a token (actors live for one request: their memberships are cached). */
  actor(token: string): Promise<Actor>;
  /** A fresh actor of `admin` with every scope. */
  admin(): Promise<Actor>;
  /** Creates a user (by `admin`), optionally with a password. */
  user(name: string, options?: { password?: string; admin?: boolean }): Promise<string>;
  /** A token made by `admin` for `user`, and its actor. */
  tokenOf(user: string, scopes?: Scope[]): Promise<{ token: string; id: string; actor: Actor }>;
  /** A project created directly in the store (so `admin`, bootstrapped before, is not its owner). */
  project(name: string): Promise<void>;
  /** Audit entries after `afterSeq`, oldest first. */
  auditAfter(afterSeq: number): Promise<{ seq: number; action: string; outcome: string; credential: string; actor_name: string; error_code: string | null; inputs: string; result: string | null; project: string | null }[]>;
  lastSeq(): Promise<number>;
}

/** `start` is when the test clock starts: START by default. */
export async function openIdentityFixture(kind: DatabaseKind, options: { sessionTtlMs?: number; start?: Date } = {}): Promise<IdentityFixture> {
  const database = await openTestDatabase(kind);
  const { db } = database;
  await database.store.refs.createProject('vision' as ProjectName);
  let now = (options.start ?? START).getTime();
  const clock: TestClock = { now: () => new Date(now), advance: (ms) => void (now += ms) };
  const store = new KyselyIdentityStore(db);
  const audit = new AuditLog({ store: new KyselyAuditStore(db) });
  const access = new AccessControl({ memberships: store.memberships, audit });
  audit.useAccessControl(access);
  const identity = new IdentityService({ store, access, audit, clock, sessionTtlMs: options.sessionTtlMs });
  const adminToken = await identity.bootstrap();
  assert.type(adminToken, 'string');
  const actor = async (token: string) => (await identity.authenticate({ bearer: token }))!.actor;
  const fixture: IdentityFixture = {
    database,
    db,
    store,
    identity,
    access,
    audit,
    clock,
    adminToken: adminToken!,
    actor,
    admin: () => actor(adminToken!),
    async user(name, userOptions = {}) {
      const created = await identity.createUser(await fixture.admin(), { name, password: userOptions.password, admin: userOptions.admin });
      return created.id;
    },
    async tokenOf(user, scopes = ['read', 'write', 'admin']) {
      const created = await identity.createToken(await fixture.admin(), { name: `${user} ${scopes.join(' ')}`, scopes, user });
      return { token: created.token, id: created.info.id, actor: await actor(created.token) };
    },
    async project(name) {
      await database.store.refs.createProject(name as ProjectName);
    },
    auditAfter: (afterSeq) =>
      db
        .selectFrom('audit_log')
        .select(['seq', 'action', 'outcome', 'credential', 'actor_name', 'error_code', 'inputs', 'result', 'project'])
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .execute(),
    async lastSeq() {
      const head = await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
      return head.seq;
    },
  };
  return fixture;
}

/** Awaits `promise`, asserting it rejects with an instance of `type`; returns the error. */
export async function rejects<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    if (!(error instanceof type)) throw error;
    return error as T;
  }
  throw new assert.Assertion({ message: `expected ${type.name}, got ${JSON.stringify(value)}`, generated: true, operator: 'rejects', expects: type.name, actual: value });
}
