import type { ParseArgsConfig } from 'node:util';
import type { BlobClient } from './blob-client.ts';
import type { GlobalOptions } from './global-options.ts';
import type { GraphqlClient } from './graphql-client.ts';
import type { Progress, ProgressUnit } from './progress.ts';

/** The `options` table of node:util parseArgs. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Where a command reads and writes: the process's streams, or a test's. */
export interface Io {
  /** Where secrets are read from (`--password-stdin`); the process's stdin when absent. */
  readonly stdin?: NodeJS.ReadableStream | undefined;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** What every command gets: resolved global options, clients of the server, and its streams. */
export interface CommandContext {
  readonly global: GlobalOptions;
  readonly io: Io;
  readonly graphql: GraphqlClient;
  readonly blobs: BlobClient;
  /** A progress bar on stderr; a no-op unless stderr is a terminal and --json is off. */
  progress(label: string, total: number, unit: ProgressUnit): Progress;
  /** A warning line on stderr (never on stdout, which --json reserves for one document). */
  warn(message: string): void;
}

/** The parsed command line of one command, positionals already counted against its spec. */
export interface CommandArgs {
  /** The value of a positional the spec declares; absent optional ones are undefined. */
  positional(name: string): string | undefined;
  /** The value of a string option, or undefined when not given. */
  string(name: string): string | undefined;
  /** Whether a boolean option was given. */
  flag(name: string): boolean;
  /** Every value of an option declared `multiple: true`, in order (one or none for others). */
  strings(name: string): string[];
}

/**
 * What a command printed: `json` goes to stdout with --json, `text` otherwise. Commands that
 * stream their own output (cat, serve) return nothing.
 */
export interface CommandResult {
  readonly json: unknown;
  readonly text: string;
}

/** One `sheaf` command: its command line and what it does. */
export interface CommandSpec {
  /** One or two words: "push", "dataset create". */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The command line after "sheaf ", e.g. "push <dir> --dataset <name> -m <message>". */
  readonly synopsis: string;
  readonly description?: string;
  /** Positional parameters in order; a trailing '?' marks an optional one. */
  readonly positionals: readonly string[];
  readonly options: OptionsConfig;
  /** Options that must be given (names as in `options`). */
  readonly requiredOptions?: readonly string[];
  /** Lines of the options table: [flag syntax, explanation]. */
  readonly optionHelp?: readonly (readonly [string, string])[];
  /**
   * Runs the command. Expected failures throw CliError; a UsageError for arguments that are
   * well-formed but unacceptable (e.g. a port out of range).
   */
  run(context: CommandContext, args: CommandArgs): Promise<CommandResult | void>;
}
