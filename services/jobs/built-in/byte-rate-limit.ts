import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces reads to average at most `bytesPerSecond` since the first one, so a maintenance job
 * over a large snapshot leaves the disk to the server's other work. Shared by parallel readers.
 */
export class ByteRateLimit {
  private readonly started = Date.now();
  private consumed = 0;

  constructor(private readonly bytesPerSecond: number) {}

  /** Counts `bytes` as read and waits until reading them keeps to the limit. @throws the signal's reason when aborted */
  async take(bytes: number, signal: AbortSignal): Promise<void> {
    this.consumed += bytes;
    const wait = this.started + (this.consumed / this.bytesPerSecond) * 1000 - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal });
  }
}
