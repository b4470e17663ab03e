/**
 * Splits `items` into consecutive slices of at most `maxCount` items and, when `weightOf` is
 * given, at most `maxWeight` total weight (a single heavier item still gets a slice of its
 * own). Bulk statements use it to stay under PostgreSQL's 65,535 bind parameters and to keep
 * each statement's payload bounded in memory.
 */
export function* chunks<T>(
  items: readonly T[],
  maxCount: number,
  weightOf?: (item: T) => number,
  maxWeight = Infinity,
): Generator<T[]> {
  let start = 0;
  while (start < items.length) {
    let end = start;
    let weight = 0;
    while (end < items.length && end - start < maxCount) {
      const next = weightOf ? weightOf(items[end]!) : 0;
      if (end > start && weight + next > maxWeight) break;
      weight += next;
      end++;
    }
    yield items.slice(start, end);
    start = end;
  }
}
