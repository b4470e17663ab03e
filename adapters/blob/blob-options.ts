import { BlobTooLargeError, InvalidHashError, InvalidInputError } from '../../core/errors.ts';
import { isSha256, type BlobHash } from '../../core/ids.ts';
import type { BlobPutOptions, BlobReadOptions } from '../../core/ports.ts';

// Checks every adapter of the BlobStore port applies identically, so that their errors agree.

/**
 * A blob hash becomes a file name or an object key, so a value that only claims to be a
 * `BlobHash` (a cast, a bad caller) must not reach that far.
 * @throws InvalidHashError unless `hash` is 64 lowercase hex characters.
 */
export function checkBlobHash(hash: BlobHash): void {
  if (!isSha256(hash)) throw new InvalidHashError('blob hash', hash);
}

/**
 * The size limit of a put, or Infinity when there is none.
 * @throws InvalidInputError when `maxBytes` is not a non-negative integer.
 */
export function maxBytesOf(options: BlobPutOptions | undefined): number {
  const maxBytes = options?.maxBytes;
  if (maxBytes === undefined) return Infinity;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new InvalidInputError('maxBytes', `must be a non-negative integer, got ${String(maxBytes)}`);
  return maxBytes;
}

/**
 * Counts bytes as they arrive and fails as soon as the total passes the limit, before the
 * offending chunk is written anywhere.
 */
export class ByteLimit {
  private total = 0;
  constructor(private readonly maxBytes: number) {}
  /** @throws BlobTooLargeError once the bytes seen exceed the limit. */
  add(byteLength: number): void {
    this.total += byteLength;
    if (this.total > this.maxBytes) throw new BlobTooLargeError(this.maxBytes);
  }
}

/** A chunk from an untyped caller could be a string, which would hash and store differently. */
export function checkChunk(chunk: unknown): asserts chunk is Uint8Array {
  if (!(chunk instanceof Uint8Array))
    throw new InvalidInputError('blob source', `chunks must be Uint8Array, got ${typeof chunk}`);
}

/** The byte range `[start, end)` of a read, and whether it covers the whole blob. */
export interface ResolvedRange {
  readonly start: number;
  readonly end: number;
  readonly whole: boolean;
}

/**
 * Resolves a read's range against the blob's size.
 * @throws InvalidInputError unless 0 <= start <= end <= size, both integers.
 */
export function resolveRange(options: BlobReadOptions | undefined, size: number): ResolvedRange {
  const start = options?.start ?? 0;
  const end = options?.end ?? size;
  if (!Number.isSafeInteger(start) || start < 0)
    throw new InvalidInputError('range', `start must be a non-negative integer, got ${String(start)}`);
  if (!Number.isSafeInteger(end) || end < 0)
    throw new InvalidInputError('range', `end must be a non-negative integer, got ${String(end)}`);
  if (start > end) throw new InvalidInputError('range', `start ${start} is after end ${end}`);
  if (end > size) throw new InvalidInputError('range', `end ${end} is past the blob's size ${size}`);
  return { start, end, whole: start === 0 && end === size };
}
