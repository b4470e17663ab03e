/** How many items may be computed at once. */
export interface ComputeLimits {
  /** Items computed at once whatever their size. */
  readonly items: number;
  /** Items computed at once while they are small: their inputs total at most `smallBytes`. */
  readonly smallItems: number;
  readonly smallBytes: number;
}

/**
 * Admits items into computation. Up to `items` run at once whatever their size; more, up to
 * `smallItems`, while the inputs in computation total at most `smallBytes`. Small images
 * finish their decodes quickly, and more of them in flight keep the thread pool full while
 * each waits for its next step; a large one holds memory in proportion to its pixels, so
 * large inputs get no more room than `items` of them need.
 */
export class ComputeSlots {
  private running = 0;
  private runningBytes = 0;
  private readonly waiting: { size: number; admit(): void }[] = [];

  constructor(private readonly limits: ComputeLimits) {}

  /** Resolves when an item of `size` input bytes may be computed; call the returned function when it is done. */
  async acquire(size: number): Promise<() => void> {
    if (this.waiting.length > 0 || !this.fits(size)) await new Promise<void>((admit) => this.waiting.push({ size, admit }));
    else this.take(size);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.runningBytes -= size;
      // In order: the first waiting item goes first, even when a smaller one behind it would fit.
      while (this.waiting.length > 0 && this.fits(this.waiting[0]!.size)) {
        const next = this.waiting.shift()!;
        this.take(next.size);
        next.admit();
      }
    };
  }

  private fits(size: number): boolean {
    if (this.running < this.limits.items) return true;
    return this.running < this.limits.smallItems && this.runningBytes + size <= this.limits.smallBytes;
  }

  private take(size: number): void {
    this.running++;
    this.runningBytes += size;
  }
}
