import { createHash, randomUUID } from 'node:crypto';
import { KyselyAccessStore } from '../../../adapters/db/kysely-access-store.ts';
import { KyselyAuditStore } from '../../../adapters/db/kysely-audit-store.ts';
import { KyselyLabelingStore } from '../../../adapters/db/kysely-labeling-store.ts';
import { KyselyMembershipStore } from '../../../adapters/db/kysely-membership-store.ts';
import type { JsonObject } from '../../../core/canonical-json.ts';
import { parseBranchName, parseDatasetName, parseProjectName, type BlobHash } from '../../../core/ids.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { Versioning } from '../../../core/versioning/versioning.ts';
import { AccessControl } from '../../../services/access/access-control.ts';
import type { Role } from '../../../services/access/roles.ts';
import type { Actor } from '../../../services/actor.ts';
import { AuditLog } from '../../../services/audit/audit-log.ts';
import { DatasetService } from '../../../services/dataset-service.ts';
import { LabelingService } from '../../../services/labeling/labeling-service.ts';
import { openTestDatabase, type DatabaseKind, type TestDatabase } from '../../helpers/databases.ts';

export const SCHEMA: LabelSchema = {
  media: 'image',
  classes: [
    { name: 'ok', color: '#00ff00', hotkey: '1' },
    { name: 'scratch', color: '#ff0000', hotkey: '2' },
    { name: 'dent', color: '#0000ff', hotkey: '3' },
  ],
  tools: ['class', 'box'],
};

/** A clock the test moves by hand. */
export class TestClock {
  private ms = Date.parse('2026-03-01T08:00:00.000Z');
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const LEASE_MS = 60_000;

/**
 * The labeling service over a fresh database: projects `alpha` (owner olga, labelers
 * lena and leo on inspections@to-label, reviewer rita: a labeler role with the same branch)
 * and `beta` (owner bob, labeler bea), each with a dataset `inspections` whose branch
 * `to-label` holds the given items.
 */
export interface LabelingFixture {
  readonly database: TestDatabase;
  readonly labeling: LabelingService;
  readonly datasets: DatasetService;
  readonly engine: Versioning;
  readonly clock: TestClock;
  /** A fresh actor (actors cache memberships for their life) of a user by name. */
  as(user: string, scopes?: readonly ('read' | 'write')[]): Actor;
  /** Stages and commits items on project@inspections/to-label. */
  addItems(project: string, items: readonly { path: string; meta?: JsonObject }[]): Promise<void>;
  close(): Promise<void>;
}

const USERS: Record<string, { project: string; role: Role; branches?: string[] }> = {
  olga: { project: 'alpha', role: 'owner' },
  lena: { project: 'alpha', role: 'labeler', branches: ['inspections@to-label'] },
  leo: { project: 'alpha', role: 'labeler', branches: ['inspections@to-label'] },
  lars: { project: 'alpha', role: 'labeler', branches: ['inspections@to-label'] },
  rita: { project: 'alpha', role: 'labeler', branches: ['inspections@to-label'] },
  vic: { project: 'alpha', role: 'viewer' },
  bob: { project: 'beta', role: 'owner' },
  bea: { project: 'beta', role: 'labeler', branches: ['inspections@to-label'] },
};

export async function openLabelingFixture(kind: DatabaseKind, options: { autoCommit?: boolean } = {}): Promise<LabelingFixture> {
  const database = await openTestDatabase(kind);
  const audit = new AuditLog({ store: new KyselyAuditStore(database.db) });
  const access = new AccessControl({ memberships: new KyselyMembershipStore(database.db), audit });
  audit.useAccessControl(access);
  const clock = new TestClock();
  const engine = new Versioning({ store: database.store, clock });
  const datasets = new DatasetService({ engine, access, audit, grants: new KyselyAccessStore(database.db), owners: { grantOwner: async () => {} } });
  const labeling = new LabelingService({ store: new KyselyLabelingStore(database.db), engine, datasets, access, audit, clock, leaseMs: LEASE_MS });
  void options;

  const ids = new Map<string, string>();
  for (const project of ['alpha', 'beta']) {
    const p = await database.store.refs.createProject(parseProjectName(project));
    ids.set(`project:${project}`, p.id);
    const ref = { project: parseProjectName(project), dataset: parseDatasetName('inspections') };
    await engine.createDataset(ref, 'setup');
    await engine.createBranch(ref, parseBranchName('to-label'), 'main', 'setup');
  }
  for (const [name, m] of Object.entries(USERS)) {
    const id = randomUUID();
    ids.set(name, id);
    await database.db.insertInto('users').values({ id, name }).execute();
    await database.db.insertInto('memberships').values({ project_id: ids.get(`project:${m.project}`)!, user_id: id, role: m.role, branches: m.branches ?? [] }).execute();
  }
  return {
    database,
    labeling,
    datasets,
    engine,
    clock,
    as: (user, scopes = ['read', 'write']) => ({ userId: ids.get(user)!, name: user, isAdmin: false, credential: { kind: 'token', id: `test-${user}` }, scopes: new Set(scopes) }),
    async addItems(project, items) {
      const ref = { project: parseProjectName(project), dataset: parseDatasetName('inspections') };
      const changes = items.map((item) => ({ path: item.path, blob: blobOf(item.path), meta: item.meta ?? {} }));
      await database.store.blobs.record(changes.map((c) => ({ hash: c.blob, size: 100, mediaType: 'image/jpeg' })));
      await engine.stage(ref, parseBranchName('to-label'), changes);
      await engine.commit(ref, parseBranchName('to-label'), { author: 'setup', message: `${items.length} items` });
    },
    close: () => database.close(),
  };
}

export function blobOf(path: string): BlobHash {
  return createHash('sha256').update(`blob of ${path}`).digest('hex') as BlobHash;
}

/** `count` items `img/0000.jpg`, `img/0001.jpg`… */
export function itemsNamed(count: number, meta?: (i: number) => JsonObject): { path: string; meta?: JsonObject }[] {
  return Array.from({ length: count }, (_, i) => ({ path: `img/${String(i).padStart(4, '0')}.jpg`, ...(meta ? { meta: meta(i) } : {}) }));
}

/** One class annotation. */
export function classOf(label: string, id = 'a1') {
  return [{ id, kind: 'class', label }];
}
