/** Exit statuses of the `sheaf` command; scripts branch on these. */
export const ExitCode = {
  ok: 0,
  /** An expected failure with a code: not found, conflict, invalid input… */
  failure: 1,
  /** The command line itself is wrong: unknown command or flag, missing argument. */
  usage: 2,
  /** The server could not be reached, or something nobody planned for happened. */
  unexpected: 3,
} as const;

/** One of the values of `ExitCode`. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A failure the CLI reports as `error CODE: message` (or `{"error":{code,message}}` with
 * --json). `details` are extra human lines (e.g. one per merge conflict); `data` is merged
 * into the JSON error object.
 */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: { exitCode?: ExitCode; details?: readonly string[]; data?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'CliError';
  }

  get exitCode(): ExitCode {
    return this.options.exitCode ?? ExitCode.failure;
  }
}

/** A wrong command line: reported with the usage of the command (exit 2). */
export class UsageError extends CliError {
  constructor(
    message: string,
    /** The command whose usage to show; undefined for the overall usage. */
    readonly command?: string,
  ) {
    super('USAGE', message, { exitCode: ExitCode.usage });
    this.name = 'UsageError';
  }
}
