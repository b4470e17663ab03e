import type { CommandSpec } from './command.ts';

const GLOBAL_HELP: readonly (readonly [string, string])[] = [
  ['--server <url>', 'server URL (env SHEAF_URL; default http://127.0.0.1:4000)'],
  ['--project <name>', 'project (env SHEAF_PROJECT; default "default")'],
  ['--json', 'print exactly one JSON document on stdout, errors included'],
  ['-h, --help', 'show usage'],
];

const FOOTER = [
  'Environment: SHEAF_TOKEN is sent as "Authorization: Bearer <token>" when set.',
  'Locations: dataset[@ref] where ref is a branch, tag, commit id or snapshot hash (default main),',
  '  or a bare commit id or snapshot hash where the command allows it.',
  'Exit codes: 0 ok, 1 failure with a code, 2 usage error, 3 server unreachable or unexpected error.',
];

/** The overall usage: every command with its summary, the global options, exit codes. */
export function overallUsage(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'usage: sheaf <command> [arguments] [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Global options:',
    ...table(GLOBAL_HELP),
    '',
    ...FOOTER,
    '',
    'Run "sheaf <command> --help" for the options of a command.',
  ].join('\n');
}

/** The usage of one command: synopsis, description, its options and the global ones. */
export function commandUsage(command: CommandSpec): string {
  return [
    `usage: sheaf ${command.synopsis}`,
    '',
    command.description ?? command.summary,
    ...(command.optionHelp?.length ? ['', 'Options:', ...table(command.optionHelp)] : []),
    '',
    'Global options:',
    ...table(GLOBAL_HELP),
  ].join('\n');
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`);
}
