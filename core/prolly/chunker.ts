import { createHash } from 'node:crypto';
import { MAX_NODE_BYTES, MIN_NODE_BYTES, TARGET_NODE_BYTES } from './format.ts';

const TWO_32 = 2 ** 32;
const SPAN = TARGET_NODE_BYTES - MIN_NODE_BYTES;

/**
 * Content-defined chunking of one tree level. Whether a node ends after an entry depends only
 * on that entry's key, its encoded size, and the bytes since the previous boundary — never on
 * how the list was edited — so the same sorted entries always split the same way (history
 * independence). Feeding the entries of a level in order, `push` answers "boundary here?".
 *
 * Rule: once a node holds >= MIN bytes, an entry of s bytes ends it when
 * uint32(sha256(level || key)[0..4]) < 2^32 · s / (TARGET − MIN), i.e. each byte past MIN ends
 * the node with equal probability, giving ~TARGET-byte nodes whatever the entry sizes.
 * At >= MAX bytes the node always ends. The level is hashed in so that the keys that end
 * nodes on one level are not more likely to end nodes on the next.
 */
export class Chunker {
  private size = 0;
  private readonly salt: Buffer;

  constructor(level: number) {
    this.salt = Buffer.from([level]);
  }

  /** Bytes since the last boundary; 0 right after one. */
  get pendingBytes(): number {
    return this.size;
  }

  /** Adds an entry; returns true when the node ends after it. */
  push(key: string, entryBytes: number): boolean {
    this.size += entryBytes;
    if (this.size >= MAX_NODE_BYTES) return this.cut();
    if (this.size < MIN_NODE_BYTES) return false;
    const digest = createHash('sha256').update(this.salt).update(key, 'utf8').digest();
    if (digest.readUInt32BE(0) < (TWO_32 * entryBytes) / SPAN) return this.cut();
    return false;
  }

  /** Starts a new node (the end of a level always ends one). */
  reset(): void {
    this.size = 0;
  }

  private cut(): true {
    this.size = 0;
    return true;
  }
}
