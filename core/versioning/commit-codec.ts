import { canonicalJson, type JsonObject } from '../canonical-json.ts';
import { hashObject } from '../hash.ts';
import type { CommitId, SnapshotHash } from '../ids.ts';
import type { Commit } from '../model.ts';

export interface CommitFields {
  readonly snapshot: SnapshotHash;
  readonly parents: readonly CommitId[];
  readonly author: string;
  readonly message: string;
  readonly time: Date;
  readonly meta: JsonObject;
}

/** Canonical commit bytes (docs/hashing.md): canonical JSON of the fields, time in ms ISO. */
export function encodeCommit(fields: Omit<CommitFields, 'time'> & { time: string }): Buffer {
  return Buffer.from(
    canonicalJson({
      author: fields.author,
      message: fields.message,
      meta: fields.meta,
      parents: [...fields.parents],
      snapshot: fields.snapshot,
      time: fields.time,
    }),
    'utf8',
  );
}

/** Builds a commit and its id; `generation` is 1 + the largest parent generation. */
export function makeCommit(fields: CommitFields, parentGenerations: readonly number[]): Commit {
  const time = fields.time.toISOString();
  const id = hashObject('commit', encodeCommit({ ...fields, time })) as CommitId;
  return Object.freeze({
    id,
    snapshot: fields.snapshot,
    parents: Object.freeze([...fields.parents]),
    author: fields.author,
    message: fields.message,
    time,
    meta: fields.meta,
    generation: 1 + Math.max(0, ...parentGenerations),
  });
}

/** Recomputes a stored commit's id from its fields: false means the row was altered. */
export function commitIdMatches(commit: Commit): boolean {
  return hashObject('commit', encodeCommit(commit)) === commit.id;
}
