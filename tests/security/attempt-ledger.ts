/** One attempt of the security suite: what it tried, the refusal expected, what came back. */
interface Attempt {
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly detail?: string | undefined;
}

/**
 * Counts the security suite's attempts so its output says how many were tried and refused,
 * and lists every one that was not refused as expected (instead of stopping at the first).
 */
export class AttemptLedger {
  private readonly attempts: Attempt[] = [];

  /** Records an attempt that should have ended with `expected` (an error code or HTTP status). */
  expect(what: string, expected: string, actual: string, detail?: string): void {
    this.attempts.push({ what, expected, actual, detail });
  }

  summary(): { attempted: number; refused: number; wrong: string[] } {
    const wrong = this.attempts
      .filter((a) => a.actual !== a.expected)
      .map((a) => `${a.what}: expected ${a.expected}, got ${a.actual}${a.detail ? ` (${a.detail.slice(0, 200)})` : ''}`);
    return { attempted: this.attempts.length, refused: this.attempts.length - wrong.length, wrong };
  }
}
