/** An agreement score for people: two decimals, or "n/a" when none was computed. */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : score.toFixed(2);
}
