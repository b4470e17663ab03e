import type { Config } from '../server/config.ts';
import { CliError, ExitCode } from './cli-error.ts';

/**
 * The configuration of a long-running process (`sheaf serve`, `sheaf worker`): the environment
 * with the command's flags over it. Loaded on demand, as only these commands need the server
 * stack.
 * @throws CliError INVALID_CONFIG (usage exit code) for a setting that does not parse.
 */
export async function loadProcessConfig(env: NodeJS.ProcessEnv, overrides: Partial<Config>): Promise<Config> {
  const { ConfigError, loadConfig } = await import('../server/config.ts');
  try {
    return loadConfig(env, overrides);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError('INVALID_CONFIG', error.message, { exitCode: ExitCode.usage });
    throw error;
  }
}

/** Resolves on the first SIGINT or SIGTERM; a second one ends the process at once. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first).off('SIGTERM', first);
      process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(143));
      resolveSignal(signal);
    };
    process.on('SIGINT', first).on('SIGTERM', first);
  });
}
