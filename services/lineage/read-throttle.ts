/** How long a file read of a snapshot by one actor counts as the same read. */
export const FILE_READ_WINDOW_MS = 60_000;

// Entries older than the window are dropped once the map holds this many.
const PRUNE_AT = 10_000;

/**
 * Remembers, in this process, when each key last recorded a read, so that a trainer reading
 * a snapshot file by file leaves one lineage edge per minute rather than one per file. Per
 * process: with several server replicas, each may record one per window.
 */
export class ReadThrottle {
  private readonly last = new Map<string, number>();

  constructor(private readonly windowMs = FILE_READ_WINDOW_MS) {}

  /** Whether a read under `key` at `now` should be recorded; if so, it counts from now. */
  admit(key: string, now: number): boolean {
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.windowMs) return false;
    if (this.last.size >= PRUNE_AT) for (const [k, at] of this.last) if (now - at >= this.windowMs) this.last.delete(k);
    this.last.set(key, now);
    return true;
  }

  /** Forgets `key`, so its next read is recorded (after a failed recording). */
  forget(key: string): void {
    this.last.delete(key);
  }
}
