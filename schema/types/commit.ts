import type { Commit } from '../../core/model.ts';
import { builder } from '../builder.ts';
import { SnapshotRef } from './snapshot.ts';

/** Commits load in batches by id (parents of a page of commits cost one query). */
export const CommitRef = builder.loadableObjectRef<Commit, string>('Commit', {
  load: (ids: string[], ctx) =>
    Promise.all(ids.map((id) => ctx.services.datasets.getCommit(id).catch((error: unknown): Commit | Error => error as Error))),
});

CommitRef.implement({
  description: 'An immutable record of a snapshot with its parents, author, message and time.',
  fields: (t) => ({
    id: t.exposeString('id'),
    snapshot: t.field({ type: SnapshotRef, resolve: (c) => ({ hash: c.snapshot }) }),
    parents: t.field({ type: [CommitRef], resolve: (c) => [...c.parents] }),
    author: t.exposeString('author'),
    message: t.exposeString('message'),
    time: t.exposeString('time', { description: 'ISO 8601, UTC, milliseconds.' }),
    meta: t.field({ type: 'JSON', resolve: (c) => c.meta }),
  }),
});
