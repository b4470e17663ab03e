import type { JsonValue } from '../../core/canonical-json.ts';
import { LINEAGE_KINDS, type LineageDirection, type LineageEdge, type LineageKind } from '../../core/lineage/lineage-edge.ts';
import { builder } from '../builder.ts';
import { forwardConnection } from '../pagination.ts';

const LineageKindEnum = builder.enumType('LineageKind', {
  description: 'What an edge records; READ edges are leaves (who was served a snapshot, how).',
  values: Object.fromEntries(LINEAGE_KINDS.map((kind) => [kind.toUpperCase(), { value: kind }])) as Record<Uppercase<LineageKind>, { value: LineageKind }>,
});

const LineageDirectionEnum = builder.enumType('LineageDirection', {
  values: {
    UPSTREAM: { value: 'upstream', description: 'What the hash came from, recursively.' },
    DOWNSTREAM: { value: 'downstream', description: 'What was made from or done with the hash, recursively.' },
    BOTH: { value: 'both' },
  } as const,
});

export const LineageEdgeRef = builder.objectRef<LineageEdge>('LineageEdge').implement({
  description: 'A typed edge from an upstream object (source) to what was made from it or done with it (target).',
  fields: (t) => ({
    id: t.exposeString('id'),
    kind: t.field({ type: LineageKindEnum, resolve: (e) => e.kind }),
    source: t.exposeString('source', { description: 'The upstream hash, e.g. the snapshot read.' }),
    target: t.exposeString('target', { nullable: true, description: 'The downstream hash or id; null for a plain read.' }),
    actor: t.exposeString('actorName'),
    actorId: t.exposeString('actorId', { nullable: true }),
    credential: t.exposeString('credential', { description: '"token:<id>", "session:<id>" or "system:<what>".' }),
    at: t.string({ resolve: (e) => e.at.toISOString() }),
    details: t.field({
      type: 'JSON',
      description: 'How: for reads {via, prefix?, filter?, shard?, classes?}.',
      resolve: (e) => JSON.parse(e.details) as JsonValue,
    }),
  }),
});

builder.queryField('lineage', (t) =>
  t.connection({
    type: LineageEdgeRef,
    description: 'Lineage edges reached from a hash in the project, oldest first. Needs lineage access to the project.',
    authScopes: { credential: 'read' },
    args: {
      project: t.arg.string({ required: true }),
      hash: t.arg.string({ required: true, description: 'A snapshot hash, or any hash or id lineage names.' }),
      direction: t.arg({ type: LineageDirectionEnum, required: false, defaultValue: 'both' }),
      kinds: t.arg({ type: [LineageKindEnum], required: false, description: 'Only edges of these kinds, listed and followed.' }),
    },
    resolve: (_, args, ctx) =>
      forwardConnection(
        args,
        (after, limit) =>
          ctx.services.lineage.list(ctx.actor, args.project, {
            hash: args.hash,
            direction: (args.direction ?? 'both') as LineageDirection,
            kinds: args.kinds ?? undefined,
            limit,
            after,
          }),
        (edge) => String(edge.seq),
      ),
  }),
);
