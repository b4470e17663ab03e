import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../adapters/db/database.ts';
import { KyselyAccessStore } from '../adapters/db/kysely-access-store.ts';
import { KyselyAuditStore } from '../adapters/db/kysely-audit-store.ts';
import { KyselyLabelingStore } from '../adapters/db/kysely-labeling-store.ts';
import { KyselyMembershipStore } from '../adapters/db/kysely-membership-store.ts';
import { createVersionStore } from '../adapters/db/kysely-version-store.ts';
import { migrateToLatest } from '../adapters/db/migrate.ts';
import { openDatabase } from '../adapters/db/open-database.ts';
import { parseBranchName, parseDatasetName, parseProjectName, type BlobHash } from '../core/ids.ts';
import { Versioning } from '../core/versioning/versioning.ts';
import { AccessControl } from '../services/access/access-control.ts';
import type { Actor } from '../services/actor.ts';
import { AuditLog } from '../services/audit/audit-log.ts';
import { DatasetService } from '../services/dataset-service.ts';
import { LabelingService } from '../services/labeling/labeling-service.ts';
import { openTestDatabase } from '../tests/helpers/databases.ts';
import { medianMs, target, timeMs, type BenchResult } from './result.ts';
import type { BenchDatabase } from './versioning.ts';

const STAGE_BATCH = 50_000;
const RUNS = 15;
const SCHEMA = { media: 'image', classes: [{ name: 'ok', color: '#00ff00' }, { name: 'dent', color: '#ff0000' }], tools: ['class', 'box'] };

async function openBench(kind: BenchDatabase): Promise<{ db: Kysely<Database>; close(): Promise<void> }> {
  if (kind === 'postgres') return openTestDatabase('postgres');
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-bench-labeling-'));
  const opened = await openDatabase({ dataDir: dir });
  await migrateToLatest(opened.db);
  return {
    db: opened.db,
    async close() {
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A labeler opening a labeling project of N items (100,000; 1,000,000 with --large) and
 * getting its first task — the project with its progress, then a lease — against a plain
 * `select 1` round trip measured in the same run. Each run is a different labeler, so every
 * run leases a new task from the queue rather than renewing one. Creating the project (one
 * task per item) is timed too.
 */
export async function benchLabeling(options: { large: boolean; database: BenchDatabase; log?: (line: string) => void }): Promise<BenchResult[]> {
  const log = options.log ?? (() => {});
  const n = options.large ? 1_000_000 : 100_000;
  const label = (name: string) => `${name} [${options.database}]`;
  const opened = await openBench(options.database);
  try {
    const store = createVersionStore(opened.db);
    const audit = new AuditLog({ store: new KyselyAuditStore(opened.db) });
    const access = new AccessControl({ memberships: new KyselyMembershipStore(opened.db), audit });
    audit.useAccessControl(access);
    const engine = new Versioning({ store });
    const datasets = new DatasetService({ engine, access, audit, grants: new KyselyAccessStore(opened.db), owners: { grantOwner: async () => {} } });
    const labeling = new LabelingService({ store: new KyselyLabelingStore(opened.db), engine, datasets, access, audit });

    const project = await engine.createProject(parseProjectName('bench'));
    const ref = { project: project.name, dataset: parseDatasetName('photos') };
    await engine.createDataset(ref, 'bench');
    log(`staging ${n} items on ${options.database}…`);
    for (let start = 0; start < n; start += STAGE_BATCH) {
      const count = Math.min(STAGE_BATCH, n - start);
      const hashes = Array.from({ length: count }, (_, k) => createHash('sha256').update(`photo ${start + k}`).digest('hex') as BlobHash);
      await store.blobs.record(hashes.map((hash) => ({ hash, size: 50_000, mediaType: 'image/jpeg' })));
      await engine.stage(ref, parseBranchName('main'), hashes.map((blob, k) => ({ path: `photos/${String(start + k).padStart(7, '0')}.jpg`, blob, meta: { i: start + k } })));
    }
    await engine.commit(ref, parseBranchName('main'), { author: 'bench', message: `${n} photos` });

    const owner = await userActor(opened.db, project.id, 'owner', 'owner', []);
    log(`creating a labeling project over ${n} items…`);
    const createMs = await timeMs(() => labeling.createProject(owner, { project: 'bench', name: 'photos', dataset: 'photos', branch: 'main', schema: SCHEMA }));
    const labelers: Actor[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const actor = await userActor(opened.db, project.id, `labeler${i}`, 'labeler', ['photos@main']);
      await labeling.setMember(owner, { project: 'bench', labelingProject: 'photos', user: actor.name, role: 'labeler' });
      labelers.push(actor);
    }

    log('opening the project and taking the first task…');
    const baselineMs = await medianMs(RUNS, () => sql`select 1`.execute(opened.db), true);
    let run = 0;
    const openMs = await medianMs(
      RUNS,
      async () => {
        // A fresh actor each time, as each request has its own.
        const labeler = { ...labelers[run++]! };
        const lp = await labeling.getProject(labeler, 'bench', 'photos');
        await labeling.progress(lp);
        const tasks = await labeling.nextTasks(labeler, { project: 'bench', labelingProject: 'photos', count: 1 });
        if (tasks.length !== 1) throw new Error('no task leased');
      },
      true,
    );
    return [
      { name: label(`create labeling project, ${n} items`), value: createMs / 1000, unit: 's', note: `${Math.round(n / (createMs / 1000))} tasks/s` },
      {
        name: label(`open project + first task, ${n} items`),
        value: openMs,
        unit: 'ms',
        baseline: { name: 'select 1', value: baselineMs },
        ratio: openMs / baselineMs,
        target: target('< 300 ms', openMs < 300),
      },
    ];
  } finally {
    await opened.close();
  }
}

async function userActor(db: Kysely<Database>, projectId: string, name: string, role: string, branches: string[]): Promise<Actor> {
  const id = randomUUID();
  await db.insertInto('users').values({ id, name }).execute();
  await db.insertInto('memberships').values({ project_id: projectId, user_id: id, role, branches }).execute();
  return { userId: id, name, isAdmin: false, credential: { kind: 'token', id: `bench-${name}` }, scopes: new Set(['read', 'write']) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const database = (process.argv.find((a) => a.startsWith('--db='))?.slice(5) ?? 'pglite') as BenchDatabase;
  const results = await benchLabeling({ large: process.argv.includes('--large'), database, log: (line) => process.stderr.write(`  ${line}\n`) });
  for (const r of results) console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}${r.baseline ? ` (select 1: ${r.baseline.value.toFixed(2)} ms)` : ''}${r.target ? ` target ${r.target.text} ${r.target.met ? 'met' : 'MISSED'}` : ''}${r.note ? ` — ${r.note}` : ''}`);
  process.exit(0);
}
