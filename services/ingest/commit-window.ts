/**
 * When staged items are due to be committed: once `every` items are pending, or once the
 * oldest pending item is `seconds` old, whichever comes first. Holds no timer: its owner asks
 * `due` after staging and sleeps `msUntilDue` between messages.
 */
export class CommitWindow {
  private count = 0;
  private oldest: Date | null = null;

  constructor(private readonly limits: { readonly every: number; readonly seconds: number }) {}

  /** Items staged and not yet committed. */
  get pending(): number {
    return this.count;
  }

  /** When the oldest of them was staged; null when none is pending. */
  get oldestPending(): Date | null {
    return this.oldest;
  }

  /** Counts `items` staged at `at` (also what was pending before a restart, with its first time). */
  add(items: number, at: Date): void {
    if (items <= 0) return;
    this.count += items;
    if (this.oldest === null || at < this.oldest) this.oldest = at;
  }

  due(now: Date): boolean {
    return this.count > 0 && (this.count >= this.limits.every || this.msUntilDue(now) === 0);
  }

  /** How long until the time limit is reached; null with nothing pending. */
  msUntilDue(now: Date): number | null {
    if (this.oldest === null) return null;
    return Math.max(0, this.oldest.getTime() + this.limits.seconds * 1000 - now.getTime());
  }

  /** After a commit: nothing is pending. */
  reset(): void {
    this.count = 0;
    this.oldest = null;
  }
}
