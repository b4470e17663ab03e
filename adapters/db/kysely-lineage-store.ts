import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { NotFoundError } from '../../core/errors.ts';
import { LINEAGE_KINDS, type LineageEdge, type LineageEdgeDraft, type LineageKind } from '../../core/lineage/lineage-edge.ts';
import type { LineageQuery, LineageStore } from '../../core/lineage/lineage-store.ts';
import type { Database, LineageEdgesTable } from './database.ts';

type EdgeRow = Selectable<LineageEdgesTable> & { project: string };

/**
 * `LineageStore` on the `lineage_edges` table. Walks are one recursive query each way: a
 * `union` (not `union all`) of edge ids, so an edge reached twice, or round a cycle, is kept
 * once and the recursion ends. Both walks use the (project_id, source) and (project_id, target)
 * indexes.
 */
export class KyselyLineageStore implements LineageStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(draft: LineageEdgeDraft): Promise<LineageEdge> {
    const row = await this.db
      .insertInto('lineage_edges')
      .columns(['id', 'project_id', 'kind', 'source', 'target', 'actor_id', 'actor_name', 'credential', 'details'])
      .expression((eb) =>
        eb
          .selectFrom('projects')
          .select([
            sql<string>`${randomUUID()}::text`.as('id'),
            'projects.id as project_id',
            sql<string>`${draft.kind}::text`.as('kind'),
            sql<string>`${draft.source}::text`.as('source'),
            sql<string | null>`${draft.target}::text`.as('target'),
            sql<string | null>`${draft.actorId}::text`.as('actor_id'),
            sql<string>`${draft.actorName}::text`.as('actor_name'),
            sql<string>`${draft.credential}::text`.as('credential'),
            sql<string>`${draft.details}::text`.as('details'),
          ])
          .where('projects.name', '=', draft.project),
      )
      .returning(['id', 'seq', 'at'])
      .executeTakeFirst();
    if (!row) throw new NotFoundError('project', draft.project);
    return { ...draft, id: row.id, seq: row.seq, at: row.at };
  }

  async walk(query: LineageQuery): Promise<LineageEdge[]> {
    if (query.limit <= 0) return [];
    const kinds = query.kinds?.length ? query.kinds : LINEAGE_KINDS;
    const project = sql`(select id from projects where name = ${query.project})`;
    const kindIn = (column: string) => sql`${sql.ref(column)} in (${sql.join(kinds.map((k) => sql`${k}`))})`;
    const walks = [];
    if (query.direction !== 'upstream')
      walks.push(sql`
        with recursive reached(id, next, kind) as (
          select id, target, kind from lineage_edges where project_id = ${project} and source = ${query.hash} and ${kindIn('kind')}
          union
          select e.id, e.target, e.kind from lineage_edges e join reached r on e.source = r.next
          where e.project_id = ${project} and r.kind <> 'read' and ${kindIn('e.kind')}
        ) select id from reached`);
    if (query.direction !== 'downstream')
      walks.push(sql`
        with recursive reached(id, next, kind) as (
          select id, source, kind from lineage_edges where project_id = ${project} and target = ${query.hash} and ${kindIn('kind')}
          union
          select e.id, e.source, e.kind from lineage_edges e join reached r on e.target = r.next
          where e.project_id = ${project} and e.kind <> 'read' and ${kindIn('e.kind')}
        ) select id from reached`);
    const ids = walks.length === 1 ? walks[0]! : sql`(${walks[0]!}) union (${walks[1]!})`;
    const result = await sql<EdgeRow>`
      select e.*, ${query.project}::text as project from lineage_edges e
      where e.id in (${ids}) and e.seq > ${query.afterSeq ?? 0}
      order by e.seq limit ${query.limit}`.execute(this.db);
    return result.rows.map(toEdge);
  }
}

function toEdge(row: EdgeRow): LineageEdge {
  return {
    id: row.id,
    seq: Number(row.seq),
    at: row.at,
    project: row.project,
    kind: row.kind as LineageKind,
    source: row.source,
    target: row.target,
    actorId: row.actor_id,
    actorName: row.actor_name,
    credential: row.credential,
    details: row.details,
  };
}
