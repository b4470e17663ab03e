import { CliError, ExitCode } from './cli-error.ts';
import type { CommandResult, Io } from './command.ts';

/** Prints a command's result: one JSON document with --json, its text otherwise. */
export function printResult(io: Io, json: boolean, result: CommandResult): void {
  if (json) io.stdout.write(`${JSON.stringify(result.json)}\n`);
  else if (result.text !== '') io.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
}

/**
 * Reports a failure: with --json as `{"error":{code,message,...data}}` on stdout (the one
 * document a script parses); otherwise `error CODE: message` and any detail lines on stderr.
 * `usage` (for usage errors) always goes to stderr.
 */
export function printError(io: Io, json: boolean, error: CliError, usage?: string): void {
  if (json) {
    io.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message, ...error.options.data } })}\n`);
  } else {
    io.stderr.write(`error ${error.code}: ${error.message}\n`);
    for (const line of error.options.details ?? []) io.stderr.write(`  ${line}\n`);
  }
  if (usage !== undefined) io.stderr.write(`\n${usage}\n`);
}

/** Any thrown value as a CliError; what is not one already is unexpected (exit 3). */
export function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CliError('UNEXPECTED', message, { exitCode: ExitCode.unexpected });
}
