/**
 * A bounded queue between one producer and one consumer: `push` waits while `capacity` values
 * are waiting, so a fast producer runs at the consumer's pace and memory stays bounded. The
 * producer ends it with `close` or `fail`; a consumer that stops early (its iterator returned)
 * makes every later `push` reject, so the producer stops too.
 */
export class AsyncChannel<T> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private ended: { error?: unknown } | undefined;
  private abandoned = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducers: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  /** Adds a value, waiting for room. @throws Error when the consumer has stopped, or after close/fail */
  async push(value: T): Promise<void> {
    for (;;) {
      if (this.abandoned) throw new Error('the reader of the export stopped');
      if (this.ended) throw new Error('push after the channel was closed');
      if (this.queue.length < this.capacity) break;
      await new Promise<void>((resolve) => this.wakeProducers.push(resolve));
    }
    this.queue.push(value);
    this.wake();
  }

  /** No more values: the consumer ends after the queued ones. */
  close(): void {
    this.ended ??= {};
    this.wake();
  }

  /** Ends the consumer with `error` after the queued values. */
  fail(error: unknown): void {
    this.ended ??= { error };
    this.wake();
  }

  /** Whether the consumer has stopped reading. */
  get isAbandoned(): boolean {
    return this.abandoned;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    try {
      for (;;) {
        const value = this.queue.shift();
        if (value !== undefined) {
          this.wakeAll();
          yield value;
          continue;
        }
        if (this.ended) {
          if ('error' in this.ended) throw this.ended.error;
          return;
        }
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      if (!this.ended || this.queue.length > 0) this.abandoned = true;
      this.wakeAll();
    }
  }

  private wake(): void {
    const consumer = this.wakeConsumer;
    this.wakeConsumer = undefined;
    consumer?.();
  }

  private wakeAll(): void {
    const producers = this.wakeProducers;
    this.wakeProducers = [];
    for (const resolve of producers) resolve();
  }
}
