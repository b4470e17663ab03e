import { InvalidHashError, InvalidNameError, type EntityKind } from './errors.ts';

/**
 * Branded identifiers. A value of one of these types has been validated once at the boundary
 * (by the parse functions below), so the core can trust it without checking again.
 */
declare const brand: unique symbol;
declare const hashKind: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** sha256 as 64 lowercase hex characters. */
export type Sha256 = Brand<string, 'Sha256'>;
// The kind of a hash is a second, separate brand: reusing `brand` would intersect 'Sha256'
// with the kind and collapse every hash type to `never`.
/** Address of raw blob bytes. */
export type BlobHash = Sha256 & { readonly [hashKind]: 'blob' };
/** Address of a prolly-tree node (canonical encoding, see docs/hashing.md). */
export type NodeHash = Sha256 & { readonly [hashKind]: 'node' };
/** A snapshot is identified by its root node's hash. */
export type SnapshotHash = NodeHash;
/** Address of a commit object. */
export type CommitId = Sha256 & { readonly [hashKind]: 'commit' };

export type ProjectName = Brand<string, 'ProjectName'>;
export type DatasetName = Brand<string, 'DatasetName'>;
export type BranchName = Brand<string, 'BranchName'>;
export type TagName = Brand<string, 'TagName'>;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256(value: unknown): value is Sha256 {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** @throws InvalidHashError unless `value` is 64 lowercase hex characters. */
export function parseSha256(value: unknown, field = 'hash'): Sha256 {
  if (!isSha256(value)) throw new InvalidHashError(field, value);
  return value;
}

export const parseBlobHash = (value: unknown, field = 'blob hash') => parseSha256(value, field) as BlobHash;
export const parseSnapshotHash = (value: unknown, field = 'snapshot hash') =>
  parseSha256(value, field) as SnapshotHash;
export const parseCommitId = (value: unknown, field = 'commit id') => parseSha256(value, field) as CommitId;

// Names are used in refs ("dataset@branch"), URLs and file names, so they stay conservative:
// letters, digits, '.', '_', '-', and '/' for branch/tag namespaces like "feature/x".
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REF_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const MAX_NAME = 128;

function parseName(kind: EntityKind, value: unknown, pattern: RegExp): string {
  if (typeof value !== 'string') throw new InvalidNameError(kind, value, 'is not a string');
  if (value.length === 0 || value.length > MAX_NAME)
    throw new InvalidNameError(kind, value, `must be 1-${MAX_NAME} characters`);
  if (!pattern.test(value))
    throw new InvalidNameError(
      kind,
      value,
      `must start with a letter or digit and contain only letters, digits, '.', '_', '-'${pattern === REF_NAME ? " or '/'" : ''}`,
    );
  if (value.includes('..') || value.includes('//') || value.endsWith('/') || value.endsWith('.'))
    throw new InvalidNameError(kind, value, "must not contain '..' or '//' nor end with '/' or '.'");
  if (isSha256(value)) throw new InvalidNameError(kind, value, 'must not look like a hash');
  return value;
}

/** @throws InvalidNameError */
export const parseProjectName = (value: unknown) => parseName('project', value, NAME) as ProjectName;
/** @throws InvalidNameError */
export const parseDatasetName = (value: unknown) => parseName('dataset', value, NAME) as DatasetName;
/** @throws InvalidNameError */
export const parseBranchName = (value: unknown) => parseName('branch', value, REF_NAME) as BranchName;
/** @throws InvalidNameError */
export const parseTagName = (value: unknown) => parseName('tag', value, REF_NAME) as TagName;
