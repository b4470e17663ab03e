/**
 * A recent rate: counts added per second over the last `windowSeconds`, so that a stream that
 * went quiet shows a falling rate rather than its lifetime average.
 */
export class RateMeter {
  private readonly buckets = new Map<number, number>();
  private readonly startedMs: number;

  constructor(
    private readonly windowSeconds = 10,
    private readonly now: () => number = Date.now,
  ) {
    this.startedMs = now();
  }

  add(count: number): void {
    const second = Math.floor(this.now() / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + count);
    for (const key of this.buckets.keys()) if (key <= second - this.windowSeconds) this.buckets.delete(key);
  }

  /** Per second, over the last `windowSeconds` (or since the meter started, if later; at least one second). */
  perSecond(): number {
    const nowMs = this.now();
    const second = Math.floor(nowMs / 1000);
    let total = 0;
    for (const [key, count] of this.buckets) if (key > second - this.windowSeconds) total += count;
    const window = this.windowSeconds - 1 + (nowMs % 1000) / 1000;
    return total / Math.max(1, Math.min(window, (nowMs - this.startedMs) / 1000));
  }
}
