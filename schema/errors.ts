import { GraphQLError } from 'graphql';
import {
  AlreadyExistsError,
  BlobHashMismatchError,
  BlobTooLargeError,
  CoreError,
  ForbiddenError,
  InvalidInputError,
  JobFinishedError,
  MergeConflictError,
  NoMergeBaseError,
  NotFoundError,
  NothingToCommitError,
  RefConflictError,
  UnauthenticatedError,
} from '../core/errors.ts';
import type { Item } from '../core/model.ts';
import { builder } from './builder.ts';
import { ItemRef } from './types/item.ts';

/**
 * The one place core errors meet GraphQL. Expected failures are object types implementing
 * `Error`, returned as members of a field's result union; anything else reaching the client
 * goes through `maskError`.
 */
export const ErrorRef = builder.interfaceRef<Error & { code: string }>('Error').implement({
  description: 'An expected failure: the request was understood but cannot be carried out.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable machine-readable code, e.g. NOT_FOUND, INVALID_PATH.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'A malformed name, path, hash or value; nothing was changed.',
  interfaces: [ErrorRef],
  fields: (t) => ({
    field: t.string({ resolve: (e) => e.data.field }),
    reason: t.string({ resolve: (e) => e.data.reason }),
  }),
});
builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'A named project, dataset, ref, commit, snapshot, item or blob does not exist.',
  interfaces: [ErrorRef],
  fields: (t) => ({
    kind: t.string({ resolve: (e) => e.data.kind }),
    id: t.string({ resolve: (e) => e.data.id }),
  }),
});
builder.objectType(AlreadyExistsError, {
  name: 'AlreadyExistsError',
  description: 'The name is taken.',
  interfaces: [ErrorRef],
  fields: (t) => ({
    kind: t.string({ resolve: (e) => e.data.kind }),
    name: t.string({ resolve: (e) => e.data.name }),
  }),
});
builder.objectType(RefConflictError, {
  name: 'RefConflictError',
  description: 'The branch moved since it was read; nothing was changed. Retry on the new head.',
  interfaces: [ErrorRef],
  fields: (t) => ({
    expected: t.string({ nullable: true, resolve: (e) => e.data.expected }),
    actual: t.string({ nullable: true, resolve: (e) => e.data.actual }),
  }),
});
builder.objectType(NothingToCommitError, {
  name: 'NothingToCommitError',
  description: 'The branch has no staged changes.',
  interfaces: [ErrorRef],
  fields: () => ({}),
});
builder.objectType(NoMergeBaseError, {
  name: 'NoMergeBaseError',
  description: 'The two branches share no history.',
  interfaces: [ErrorRef],
  fields: () => ({}),
});
builder.objectType(BlobHashMismatchError, {
  name: 'BlobHashMismatchError',
  description: 'Uploaded content does not match its claimed hash; nothing was stored.',
  interfaces: [ErrorRef],
  fields: (t) => ({ expected: t.string({ resolve: (e) => e.data.expected }), actual: t.string({ resolve: (e) => e.data.actual }) }),
});
builder.objectType(BlobTooLargeError, {
  name: 'BlobTooLargeError',
  description: 'The upload exceeds the size limit; nothing was stored.',
  interfaces: [ErrorRef],
  fields: (t) => ({ maxBytes: t.float({ resolve: (e) => e.data.maxBytes }) }),
});

builder.objectType(JobFinishedError, {
  name: 'JobFinishedError',
  description: 'The job has already succeeded or failed; nothing was changed.',
  interfaces: [ErrorRef],
  fields: (t) => ({ state: t.string({ resolve: (e) => e.data.state }) }),
});

builder.objectType(UnauthenticatedError, {
  name: 'UnauthenticatedError',
  description: 'No valid credential: none was sent, or the token or session is unknown, expired or revoked.',
  interfaces: [ErrorRef],
  fields: (t) => ({ reason: t.string({ resolve: (e) => e.data.reason }) }),
});
builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The caller may not do this here; nothing was changed. Says nothing of whether the thing exists.',
  interfaces: [ErrorRef],
  fields: (t) => ({
    permission: t.string({ resolve: (e) => e.data.permission }),
    resource: t.string({ resolve: (e) => e.data.resource }),
  }),
});

interface Conflict {
  path: string;
  base: Item | null;
  ours: Item | null;
  theirs: Item | null;
}
const ConflictRef = builder.objectRef<Conflict>('MergeConflict').implement({
  description: 'An item changed differently on both sides of a merge; null means absent on that side.',
  fields: (t) => ({
    path: t.exposeString('path'),
    base: t.field({ type: ItemRef, nullable: true, resolve: (c) => c.base }),
    ours: t.field({ type: ItemRef, nullable: true, resolve: (c) => c.ours }),
    theirs: t.field({ type: ItemRef, nullable: true, resolve: (c) => c.theirs }),
  }),
});
builder.objectType(MergeConflictError, {
  name: 'MergeConflictError',
  description: 'Items changed differently on both sides; nothing was merged.',
  interfaces: [ErrorRef],
  fields: (t) => ({
    conflicts: t.field({ type: [ConflictRef], description: 'The first 1,000 conflicts in path order.', resolve: (e) => e.data.conflicts as Conflict[] }),
    total: t.int({ description: 'How many items conflict in all.', resolve: (e) => e.data.total }),
  }),
});

/** Failures every field with typed errors can return. */
export const expectedErrors = [
  UnauthenticatedError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  AlreadyExistsError,
  RefConflictError,
  NothingToCommitError,
  MergeConflictError,
  NoMergeBaseError,
  BlobHashMismatchError,
  BlobTooLargeError,
];

/** The `errors` option for fields that return typed failures in a result union. */
export const typedErrors = { types: expectedErrors };

/**
 * What a client sees of an error that escaped a result union: core errors keep their message
 * and code; GraphQL's own validation errors pass as they are; everything else is masked (the
 * server logs it with the request id).
 */
export function maskError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof CoreError) return new GraphQLError(original.message, { extensions: { code: original.code } });
  if (error instanceof GraphQLError && !error.originalError) return error;
  return new GraphQLError(message, { extensions: { code: 'INTERNAL' } });
}
