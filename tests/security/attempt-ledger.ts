// A stack frame, SQL, or a server path in an error message would tell an attacker how the
// server is built.
const LEAKS = [/\bat [\w.<>]+ \(/, /node_modules|\/work\/|\.ts:\d+/, /\b(select|insert|update|delete)\b[^"]*\b(from|into|set|where)\b/i, /syntax error at or near/i];

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
  private readonly leaks: string[] = [];

  /** Checks an answer the client saw for what must never reach it: stack frames, SQL, file paths. */
  checkAnswer(what: string, body: string): void {
    const leak = LEAKS.find((pattern) => pattern.test(body));
    if (leak) this.leaks.push(`${what}: the answer shows ${leak} (${body.slice(0, 200)})`);
  }

  /** Records an attempt that should have ended with `expected` (an error code or HTTP status). */
  expect(what: string, expected: string, actual: string, detail?: string): void {
    this.attempts.push({ what, expected, actual, detail });
  }

  summary(): { attempted: number; refused: number; wrong: string[] } {
    const wrong = this.attempts
      .filter((a) => a.actual !== a.expected)
      .map((a) => `${a.what}: expected ${a.expected}, got ${a.actual}${a.detail ? ` (${a.detail.slice(0, 200)})` : ''}`);
    return { attempted: this.attempts.length, refused: this.attempts.length - wrong.length, wrong: [...wrong, ...this.leaks] };
  }
}
