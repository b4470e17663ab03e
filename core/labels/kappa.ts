import { InvalidInputError } from '../errors.ts';

/**
 * Cohen's kappa of two raters who each gave one class label to the same `n` items:
 * `a[i]` and `b[i]` are their labels of item `i`. κ = (pₒ − pₑ) / (1 − pₑ), with pₒ the share of
 * items they agree on and pₑ the agreement expected by chance from each rater's label shares.
 *
 * Returns null when undefined (no items). When chance agreement is certain (both raters gave
 * every item the same one label) κ is 0/0; it is then 1, as the raters agree perfectly.
 * Computed on integer counts, so a perfect agreement is exactly 1.
 * @throws InvalidInputError when `a` and `b` differ in length
 */
export function cohensKappa(a: readonly string[], b: readonly string[]): number | null {
  if (a.length !== b.length)
    throw new InvalidInputError('ratings', `both raters must rate the same items: got ${a.length} and ${b.length} labels`);
  const n = a.length;
  if (n === 0) return null;
  let agreed = 0;
  const countsA = new Map<string, number>();
  const countsB = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) agreed++;
    countsA.set(x, (countsA.get(x) ?? 0) + 1);
    countsB.set(y, (countsB.get(y) ?? 0) + 1);
  }
  // pₑ·n² = Σ_c countA(c)·countB(c); multiplying numerator and denominator by n² keeps every
  // term an integer.
  let chance = 0;
  for (const [label, count] of countsA) chance += count * (countsB.get(label) ?? 0);
  const denominator = n * n - chance;
  if (denominator === 0) return agreed === n ? 1 : null;
  return (n * agreed - chance) / denominator;
}

/**
 * Fleiss' kappa of a fixed number of raters per item: `counts[i][j]` is how many raters put
 * item `i` in category `j`; every row has the same categories and sums to the same rater count
 * `n`. κ = (P̄ − P̄ₑ) / (1 − P̄ₑ), with P̄ the mean share of agreeing rater pairs per item and P̄ₑ
 * the chance agreement from the categories' overall shares.
 *
 * Returns null when undefined: no items, or fewer than two raters per item. When chance
 * agreement is certain (every rater chose one category for every item) κ is 1.
 * @throws InvalidInputError when rows differ in length or in rater count, or a count is not a
 *   non-negative integer
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  const items = counts.length;
  if (items === 0) return null;
  const categories = counts[0]!.length;
  const raters = validatedRaters(counts, categories);
  if (raters < 2) return null;

  const totals = new Array<number>(categories).fill(0);
  // Σ_i Σ_j n_ij², an integer: P̄ = (Σ n_ij² − N·n) / (N·n·(n − 1)).
  let squares = 0;
  for (const row of counts)
    for (let j = 0; j < categories; j++) {
      const value = row[j]!;
      totals[j]! += value;
      squares += value * value;
    }
  const ratings = items * raters;
  const observed = (squares - ratings) / (ratings * (raters - 1));
  // P̄ₑ·(N·n)² = Σ_j total_j², also an integer: a certain chance agreement is found exactly.
  const chanceScaled = totals.reduce((sum, total) => sum + total * total, 0);
  if (chanceScaled === ratings * ratings) return 1;
  const chance = chanceScaled / (ratings * ratings);
  return (observed - chance) / (1 - chance);
}

/** The one rater count all rows share. @throws InvalidInputError otherwise */
function validatedRaters(counts: readonly (readonly number[])[], categories: number): number {
  let raters: number | undefined;
  counts.forEach((row, i) => {
    if (row.length !== categories)
      throw new InvalidInputError('counts', `item ${i} has ${row.length} categories, item 0 has ${categories}`);
    let sum = 0;
    for (const value of row) {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new InvalidInputError('counts', `item ${i} has a count that is not a non-negative integer: ${value}`);
      sum += value;
    }
    raters ??= sum;
    if (sum !== raters)
      throw new InvalidInputError('counts', `every item needs the same number of raters: item ${i} has ${sum}, item 0 has ${raters}`);
  });
  return raters ?? 0;
}
