/** One benchmark measurement, with the baseline measured in the same run when there is one. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number } | undefined;
  /** value / baseline.value */
  readonly ratio?: number | undefined;
  /** The goal this number is held to, e.g. "< 100 ms"; `met` says whether it was reached. */
  readonly target?: { readonly text: string; readonly met: boolean } | undefined;
  readonly note?: string | undefined;
}

/** The middle value (the upper middle for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall time in ms of `runs` calls of `work` (after one warm-up call when `warmup`). */
export async function medianMs(runs: number, work: () => Promise<unknown>, warmup = false): Promise<number> {
  if (warmup) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Wall time in ms of one call. */
export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export function target(text: string, met: boolean) {
  return { text, met };
}
