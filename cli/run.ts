import { parseCommandLine } from './args.ts';
import { ExitCode, UsageError } from './cli-error.ts';
import type { CommandSpec, Io } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { createContext } from './context.ts';
import { resolveGlobalOptions } from './global-options.ts';
import { asCliError, printError, printResult } from './output.ts';
import { commandUsage, overallUsage } from './usage.ts';

/**
 * Runs one `sheaf` command line and returns its exit status; never throws. Output goes to
 * `io` only, so tests can run commands in-process.
 */
export async function run(argv: readonly string[], io: Io, commands: readonly CommandSpec[] = COMMANDS): Promise<ExitCode> {
  const usageOf = (name: string | undefined) => {
    const command = commands.find((c) => c.name === name);
    return command ? commandUsage(command) : overallUsage(commands);
  };
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv, commands);
  } catch (error) {
    const failure = asCliError(error);
    printError(io, argv.includes('--json'), failure, failure instanceof UsageError ? usageOf(failure.command) : undefined);
    return failure.exitCode;
  }
  if (parsed.kind === 'help') {
    io.stdout.write(`${usageOf(parsed.command?.name)}\n`);
    return ExitCode.ok;
  }
  const { command, args, flags } = parsed;
  try {
    const global = resolveGlobalOptions(flags, io.env);
    const result = await command.run(createContext(global, io), args);
    if (result) printResult(io, flags.json, result);
    return ExitCode.ok;
  } catch (error) {
    const failure = asCliError(error);
    printError(io, flags.json, failure, failure instanceof UsageError ? commandUsage(command) : undefined);
    return failure.exitCode;
  }
}
