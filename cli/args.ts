import { parseArgs } from 'node:util';
import { UsageError } from './cli-error.ts';
import type { CommandArgs, CommandSpec, OptionsConfig } from './command.ts';

/** Options every command accepts, before or after the command words. */
export const GLOBAL_OPTIONS = {
  server: { type: 'string' },
  project: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

/** The global flags as given on the command line (the environment is applied later). */
export interface GlobalFlags {
  readonly server: string | undefined;
  readonly project: string | undefined;
  readonly json: boolean;
}

/** A command to run with its arguments, or a request for usage (overall when `command` is undefined). */
export type ParsedCommandLine =
  | { readonly kind: 'help'; readonly command: CommandSpec | undefined; readonly flags: GlobalFlags }
  | { readonly kind: 'run'; readonly command: CommandSpec; readonly args: CommandArgs; readonly flags: GlobalFlags };

/**
 * Finds the command (one or two words, e.g. "dataset create") and parses its arguments
 * strictly: global options may come anywhere, unknown options and wrong positional counts
 * are usage errors.
 * @throws UsageError naming the command whose usage applies (if one was recognized)
 */
export function parseCommandLine(argv: readonly string[], commands: readonly CommandSpec[]): ParsedCommandLine {
  const { words, json, help } = findCommandWords(argv, commands);
  const command = matchCommand(words.map((w) => w.value), commands, help);
  if (!command) return { kind: 'help', command: undefined, flags: { server: undefined, project: undefined, json } };

  const wordCount = command.name.split(' ').length;
  const used = new Set(words.slice(0, wordCount).map((w) => w.index));
  const rest = argv.filter((_, index) => !used.has(index));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), command.name);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const flags: GlobalFlags = {
    server: values.server as string | undefined,
    project: values.project as string | undefined,
    json: values.json === true,
  };
  if (values.help === true) return { kind: 'help', command, flags };

  const names = command.positionals.map((p) => p.replace(/\?$/, ''));
  const required = command.positionals.filter((p) => !p.endsWith('?')).length;
  if (parsed.positionals.length < required)
    throw new UsageError(`missing argument <${names[parsed.positionals.length]}>`, command.name);
  if (parsed.positionals.length > names.length)
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[names.length])}`, command.name);
  for (const option of command.requiredOptions ?? [])
    if (values[option] === undefined) throw new UsageError(`missing option --${option}`, command.name);
  for (const [name, value] of Object.entries(values))
    if (value === '' || (Array.isArray(value) && value.includes(''))) throw new UsageError(`--${name} must not be empty`, command.name);

  const positionals = new Map(names.map((name, i) => [name, parsed.positionals[i]]));
  const args: CommandArgs = {
    positional: (name) => positionals.get(name),
    string: (name) => (typeof values[name] === 'string' ? (values[name] as string) : undefined),
    flag: (name) => values[name] === true,
    strings: (name) => {
      const value = values[name];
      return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    },
  };
  return { kind: 'run', command, args, flags };
}

/**
 * The first two positional words, found with every command's options known, so that the
 * value of `--server x` or `--dataset x` is not mistaken for a command word.
 */
function findCommandWords(argv: readonly string[], commands: readonly CommandSpec[]) {
  const options: OptionsConfig = { ...GLOBAL_OPTIONS };
  for (const command of commands) Object.assign(options, command.options);
  const { tokens, values } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const words: { value: string; index: number }[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') break;
    if (token.kind === 'positional' && words.length < 2) words.push({ value: token.value, index: token.index });
  }
  return { words, json: values.json === true, help: values.help === true };
}

function matchCommand(words: readonly string[], commands: readonly CommandSpec[], help: boolean): CommandSpec | undefined {
  const [first, second] = words;
  if (first === undefined) {
    if (help) return undefined;
    throw new UsageError('missing command');
  }
  const found =
    (second !== undefined && commands.find((c) => c.name === `${first} ${second}`)) || commands.find((c) => c.name === first);
  if (found) return found;
  const group = commands.filter((c) => c.name.startsWith(`${first} `));
  if (group.length > 0) {
    if (help && second === undefined) return undefined;
    const subcommands = group.map((c) => c.name.slice(first.length + 1)).join(', ');
    throw new UsageError(
      second === undefined ? `"${first}" needs a subcommand: ${subcommands}` : `unknown subcommand "${first} ${second}" (one of: ${subcommands})`,
    );
  }
  throw new UsageError(`unknown command ${JSON.stringify(first)}`);
}
