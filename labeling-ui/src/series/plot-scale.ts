/** A linear map from data units to pixels, and back. */
export interface LinearScale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  (value: number): number;
  invert(pixel: number): number;
}

/**
 * A linear scale from `domain` onto `range`. A domain of one value (a single sample, a flat
 * series) is widened by half a unit each way so it still maps to the middle of the range.
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  let [d0, d1] = domain;
  if (!(d1 > d0)) {
    d0 -= 0.5;
    d1 += 0.5;
  }
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  const scale = ((value: number) => r0 + (value - d0) * k) as LinearScale;
  return Object.assign(scale, { domain: [d0, d1] as const, range, invert: (pixel: number) => d0 + (pixel - r0) / k });
}

/** About `count` round tick values (1, 2 or 5 × 10^k apart) within `[lo, hi]`. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** The extent of the finite values, or `[0, 1]` when there are none. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * The index of the sample whose x is nearest `value` (x sorted ascending), so a dragged range
 * lands on real samples instead of on pixel positions.
 */
export function nearestIndex(x: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(x[lo - 1]! - value) <= Math.abs(x[lo]! - value)) return lo - 1;
  return lo;
}
