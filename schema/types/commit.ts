import type { Commit } from '../../core/model.ts';
import { builder } from '../builder.ts';
import { SnapshotRef } from './snapshot.ts';

/** A commit as read in a project: nested snapshots and parents are read in the same one. */
export type CommitShape = Commit & { readonly project: string };

/** The loader key of a commit read in `project` (project names have no '/'). */
export const commitKey = (project: string, id: string): string => `${project}/${id}`;

/** Commits load in batches by key (parents of a page of commits cost one round of lookups). */
export const CommitRef = builder.loadableObjectRef<CommitShape, string>('Commit', {
  load: (keys: string[], ctx) =>
    Promise.all(
      keys.map(async (key): Promise<CommitShape | Error> => {
        const slash = key.indexOf('/');
        const project = key.slice(0, slash);
        try {
          return { ...(await ctx.services.datasets.getCommit(ctx.actor, project, key.slice(slash + 1))), project };
        } catch (error) {
          return error as Error;
        }
      }),
    ),
});

CommitRef.implement({
  description: 'An immutable record of a snapshot with its parents, author, message and time.',
  fields: (t) => ({
    id: t.exposeString('id'),
    snapshot: t.field({ type: SnapshotRef, resolve: (c) => ({ hash: c.snapshot, project: c.project }) }),
    parents: t.field({ type: [CommitRef], resolve: (c) => c.parents.map((id) => commitKey(c.project, id)) }),
    author: t.exposeString('author'),
    message: t.exposeString('message'),
    time: t.exposeString('time', { description: 'ISO 8601, UTC, milliseconds.' }),
    meta: t.field({ type: 'JSON', resolve: (c) => c.meta }),
  }),
});
