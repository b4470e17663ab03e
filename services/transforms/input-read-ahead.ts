/** How far ahead of the computation inputs are read. */
export interface ReadAheadLimits {
  /** Inputs read and not yet taken, at most. */
  readonly items: number;
  /** Their bytes, at most; a larger input is read when it is taken, not ahead. */
  readonly bytes: number;
}

/** One input handed to a worker: the item, and its bytes (already being read, when they fit). */
export interface TakenInput<T> {
  readonly item: T;
  /** The first call returns the bytes read ahead; any later call reads them again. */
  bytes(): Promise<Uint8Array>;
}

/**
 * Hands out `items` in order to the workers computing them, reading the bytes of the next few
 * ahead of time. A worker that finishes an item then finds its next input in memory instead of
 * queueing its reads behind the decodes that fill the thread pool — reads, image work and
 * stores share the same few threads, and a read queued there leaves the worker idle.
 *
 * Memory stays bounded by `limits`. A read that fails is reported to whoever takes its item,
 * when it asks for the bytes; one never asked for (the run was stopped) is dropped silently.
 */
export class InputReadAhead<T> {
  private next = 0;
  private readNext = 0;
  private aheadBytes = 0;
  private readonly reads = new Map<number, Promise<Uint8Array>>();

  constructor(
    private readonly items: readonly T[],
    private readonly read: (item: T) => Promise<Uint8Array>,
    private readonly sizeOf: (item: T) => number,
    private readonly limits: ReadAheadLimits,
  ) {}

  /** The next input in order, or undefined when all were taken. */
  take(): TakenInput<T> | undefined {
    if (this.next >= this.items.length) return undefined;
    const index = this.next++;
    const item = this.items[index]!;
    let early = this.reads.get(index);
    if (early) {
      this.reads.delete(index);
      this.aheadBytes -= this.sizeOf(item);
    }
    this.fill();
    return {
      item,
      bytes: () => {
        const bytes = early ?? this.read(item);
        early = undefined;
        return bytes;
      },
    };
  }

  /** Starts the reads that fit, in order, from the first input not yet read or taken. */
  private fill(): void {
    this.readNext = Math.max(this.readNext, this.next);
    while (this.readNext < this.items.length && this.reads.size < this.limits.items) {
      const item = this.items[this.readNext]!;
      const size = this.sizeOf(item);
      // Inputs are read in order: one that does not fit now waits, and so do those after it.
      if (this.aheadBytes + size > this.limits.bytes) return;
      const reading = this.read(item);
      // Observed now: a run stopped early never asks for it, and its failure must not go unhandled.
      reading.catch(() => {});
      this.reads.set(this.readNext++, reading);
      this.aheadBytes += size;
    }
  }
}
