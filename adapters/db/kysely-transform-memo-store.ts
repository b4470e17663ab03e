import type { Kysely } from 'kysely';
import { canonicalJson, type JsonObject } from '../../core/canonical-json.ts';
import type { ItemOutcome, TransformKey, TransformMemo, TransformRun } from '../../services/transforms/transform-memo.ts';
import { chunks } from './chunks.ts';
import type { Database } from './database.ts';

const BATCH = 1_000;

/** `TransformMemo` on the `transform_runs` and `transform_item_memo` tables. */
export class KyselyTransformMemoStore implements TransformMemo {
  constructor(private readonly db: Kysely<Database>) {}

  async findRun(key: TransformKey, inputSnapshot: string): Promise<TransformRun | null> {
    const row = await this.runs(key).where('transform_runs.input_snapshot', '=', inputSnapshot).executeTakeFirst();
    return row ? toRun(row) : null;
  }

  async latestRun(key: TransformKey): Promise<TransformRun | null> {
    const row = await this.runs(key).orderBy('transform_runs.created_at', 'desc').limit(1).executeTakeFirst();
    return row ? toRun(row) : null;
  }

  async saveRun(key: TransformKey, params: JsonObject, run: TransformRun): Promise<void> {
    await this.db
      .insertInto('transform_runs')
      .columns(['project_id', 'transform', 'version', 'params_hash', 'params', 'input_snapshot', 'output_snapshot', 'rejected'])
      .expression((eb) =>
        eb
          .selectFrom('projects')
          .select((s) => [
            'projects.id',
            s.val(key.transform).as('transform'),
            s.val(key.version).as('version'),
            s.val(key.paramsHash).as('params_hash'),
            s.val(canonicalJson(params)).as('params'),
            s.val(run.inputSnapshot).as('input_snapshot'),
            s.val(run.outputSnapshot).as('output_snapshot'),
            s.val(canonicalJson(run.rejected as never)).as('rejected'),
          ])
          .where('projects.name', '=', key.project),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async findItems(key: TransformKey, inputKeys: readonly string[]): Promise<Map<string, ItemOutcome>> {
    const found = new Map<string, ItemOutcome>();
    for (const batch of chunks([...new Set(inputKeys)], BATCH)) {
      const rows = await this.db
        .selectFrom('transform_item_memo')
        .innerJoin('projects', 'projects.id', 'transform_item_memo.project_id')
        .select(['transform_item_memo.input_key', 'transform_item_memo.outcome'])
        .where('projects.name', '=', key.project)
        .where('transform_item_memo.transform', '=', key.transform)
        .where('transform_item_memo.version', '=', key.version)
        .where('transform_item_memo.params_hash', '=', key.paramsHash)
        .where('transform_item_memo.input_key', 'in', batch)
        .execute();
      for (const row of rows) found.set(row.input_key, JSON.parse(row.outcome) as ItemOutcome);
    }
    return found;
  }

  async saveItems(key: TransformKey, outcomes: ReadonlyMap<string, ItemOutcome>): Promise<void> {
    const project = await this.db.selectFrom('projects').select('id').where('name', '=', key.project).executeTakeFirst();
    if (!project) return;
    for (const batch of chunks([...outcomes], BATCH)) {
      await this.db
        .insertInto('transform_item_memo')
        .values(
          batch.map(([inputKey, outcome]) => ({
            project_id: project.id,
            transform: key.transform,
            version: key.version,
            params_hash: key.paramsHash,
            input_key: inputKey,
            outcome: canonicalJson(outcome as never),
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  private runs(key: TransformKey) {
    return this.db
      .selectFrom('transform_runs')
      .innerJoin('projects', 'projects.id', 'transform_runs.project_id')
      .select(['transform_runs.input_snapshot', 'transform_runs.output_snapshot', 'transform_runs.rejected'])
      .where('projects.name', '=', key.project)
      .where('transform_runs.transform', '=', key.transform)
      .where('transform_runs.version', '=', key.version)
      .where('transform_runs.params_hash', '=', key.paramsHash);
  }
}

function toRun(row: { input_snapshot: string; output_snapshot: string; rejected: string }): TransformRun {
  return { inputSnapshot: row.input_snapshot, outputSnapshot: row.output_snapshot, rejected: JSON.parse(row.rejected) };
}
