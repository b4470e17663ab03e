import { InvalidInputError } from '../../core/errors.ts';
import type { JobProgress } from './job.ts';

export interface ProgressTrackerOptions {
  /** Stores a progress report; called at most once per `intervalMs`, never twice at once. */
  readonly save: (progress: JobProgress) => Promise<void>;
  /** A failed save is reported here; the next report tries again. */
  readonly onError?: (error: unknown) => void;
  /** Default 250 ms. */
  readonly intervalMs?: number;
  /** The rate is measured over this recent stretch. Default 10 s. */
  readonly windowMs?: number;
  readonly now?: () => number;
}

interface Sample {
  readonly at: number;
  readonly done: number;
}

// Samples closer together than this replace each other, so a handler reporting every item
// of a fast loop keeps a bounded list.
const SAMPLE_SPACING_MS = 100;
// A rate over a shorter stretch says more about timer jitter than about the work.
const MIN_RATE_SPAN_MS = 500;

/**
 * Turns a handler's `progress(done, total)` calls into stored progress: the rate in items per
 * second over the last `windowMs`, the time left at that rate, and writes throttled to one
 * per `intervalMs` (the last report is always written, at most `intervalMs` late).
 */
export class ProgressTracker {
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private samples: Sample[] = [];
  private latest: JobProgress | null = null;
  private dirty = false;
  private closed = false;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ProgressTrackerOptions) {
    this.intervalMs = options.intervalMs ?? 250;
    this.windowMs = options.windowMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Records a report; ignored once closed.
   * @throws InvalidInputError for a negative or non-finite count, or `done` above `total`
   */
  report(done: number, total: number | null = null): void {
    if (this.closed) return;
    if (!Number.isFinite(done) || done < 0) throw new InvalidInputError('progress', `done must be a finite number >= 0, got ${done}`);
    if (total !== null && (!Number.isFinite(total) || total < 0 || done > total))
      throw new InvalidInputError('progress', `total must be a finite number >= done, got ${total}`);
    const at = this.now();
    const last = this.samples[this.samples.length - 1];
    // Going backwards (a handler starting a second pass) makes the old samples meaningless.
    if (last && done < last.done) this.samples = [];
    const previous = this.samples[this.samples.length - 1];
    if (previous && at - previous.at < SAMPLE_SPACING_MS && this.samples.length > 1) this.samples[this.samples.length - 1] = { at, done };
    else this.samples.push({ at, done });
    // Keep one sample from before the window, so the rate spans the whole window.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) this.samples.shift();
    const rate = this.rate();
    this.latest = {
      done,
      total,
      rate,
      etaSeconds: total !== null && rate !== null && rate > 0 ? (total - done) / rate : null,
      updatedAt: new Date(at),
    };
    this.dirty = true;
    this.schedule();
  }

  /** The last report with its rate and ETA, or null before the first. */
  current(): JobProgress | null {
    return this.latest;
  }

  /** Stops writing; resolves with the last report once any write in flight has finished. */
  async close(): Promise<JobProgress | null> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    return this.latest;
  }

  private rate(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < MIN_RATE_SPAN_MS) return null;
    return (last.done - first.done) / ((last.at - first.at) / 1000);
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastWriteAt + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, wait);
  }

  private write(): void {
    if (!this.dirty || this.closed || !this.latest) return;
    this.dirty = false;
    this.lastWriteAt = this.now();
    const progress = this.latest;
    this.writing = this.writing.then(() => this.options.save(progress)).catch((error: unknown) => {
      this.dirty = true;
      this.options.onError?.(error);
    });
  }
}
