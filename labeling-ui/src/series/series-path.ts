import type { LinearScale } from './plot-scale.ts';

/**
 * The SVG path of one series. Past two samples per pixel column it keeps, per column, the
 * first, lowest, highest and last sample (in sample order), so spikes stay visible while a
 * million-sample series draws a few thousand points. NaN values break the line.
 */
export function seriesPath(x: ArrayLike<number>, y: ArrayLike<number>, sx: LinearScale, sy: LinearScale): string {
  const width = Math.abs(sx.range[1] - sx.range[0]);
  const parts: string[] = [];
  let pen = false;
  const emit = (i: number): void => {
    const v = y[i]!;
    if (Number.isNaN(v)) {
      pen = false;
      return;
    }
    parts.push(`${pen ? 'L' : 'M'}${sx(x[i]!).toFixed(1)} ${sy(v).toFixed(1)}`);
    pen = true;
  };
  if (x.length <= width * 2) {
    for (let i = 0; i < x.length; i++) emit(i);
    return parts.join('');
  }
  let i = 0;
  while (i < x.length) {
    const column = Math.floor(sx(x[i]!));
    const first = i;
    let lowest = i;
    let highest = i;
    let gap = false;
    while (i < x.length && Math.floor(sx(x[i]!)) === column) {
      const v = y[i]!;
      if (Number.isNaN(v)) gap = true;
      else {
        if (!(y[lowest]! <= v)) lowest = i;
        if (!(y[highest]! >= v)) highest = i;
      }
      i++;
    }
    const last = i - 1;
    for (const k of [...new Set([first, lowest, highest, last])].sort((a, b) => a - b)) emit(k);
    if (gap) pen = false;
  }
  return parts.join('');
}
