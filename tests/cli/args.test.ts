import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCommandLine } from '../../cli/args.ts';
import { UsageError } from '../../cli/cli-error.ts';
import { COMMANDS } from '../../cli/commands/index.ts';

const test = suite('parseCommandLine');

function run(argv: string[]) {
  const parsed = parseCommandLine(argv, COMMANDS);
  assert.is(parsed.kind, 'run', `expected a command for ${argv.join(' ')}`);
  if (parsed.kind !== 'run') throw new Error('unreachable');
  return parsed;
}

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv, COMMANDS);
  } catch (error) {
    assert.instance(error, UsageError);
    assert.is((error as UsageError).exitCode, 2);
    return error as UsageError;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
}

test('finds one- and two-word commands with their positionals and options', () => {
  const push = run(['push', 'data', '--dataset', 'cats', '-m', 'first batch']);
  assert.is(push.command.name, 'push');
  assert.is(push.args.positional('dir'), 'data');
  assert.is(push.args.string('dataset'), 'cats');
  assert.is(push.args.string('message'), 'first batch');
  assert.is(push.args.string('branch'), undefined);

  const create = run(['dataset', 'create', 'cats']);
  assert.is(create.command.name, 'dataset create');
  assert.is(create.args.positional('name'), 'cats');
  assert.is(run(['dataset', 'list']).command.name, 'dataset list');
});

test('global options may come before or after the command; option values are not taken for commands', () => {
  const before = run(['--server', 'http://h:1', '--project', 'p', '--json', 'log', 'cats@dev']);
  assert.equal(before.flags, { server: 'http://h:1', project: 'p', json: true });
  assert.is(before.args.positional('location'), 'cats@dev');
  const after = run(['log', 'cats', '--json', '--server=http://h:2']);
  assert.equal(after.flags, { server: 'http://h:2', project: undefined, json: true });
  const valueFirst = run(['--dataset', 'cats', 'push', 'dir', '-m', 'x']);
  assert.is(valueFirst.command.name, 'push');
  assert.is(valueFirst.args.positional('dir'), 'dir');
});

test('--help and -h ask for usage, of a command or overall', () => {
  const overall = parseCommandLine(['--help'], COMMANDS);
  assert.equal([overall.kind, overall.command], ['help', undefined]);
  const push = parseCommandLine(['push', '--help'], COMMANDS);
  assert.equal([push.kind, push.command?.name], ['help', 'push']);
  // Help is answered even when required arguments are missing.
  assert.is(parseCommandLine(['merge', '-h'], COMMANDS).kind, 'help');
  assert.is(parseCommandLine(['dataset', '--help'], COMMANDS).kind, 'help');
});

test('usage errors: no command, unknown command or subcommand, unknown flag, missing argument or option', () => {
  assert.match(usageError([]).message, 'missing command');
  assert.match(usageError(['frobnicate']).message, 'unknown command "frobnicate"');
  assert.match(usageError(['dataset']).message, 'needs a subcommand: create, list');
  assert.match(usageError(['dataset', 'drop', 'x']).message, 'unknown subcommand');

  const flag = usageError(['log', 'cats', '--colour']);
  assert.match(flag.message, '--colour');
  assert.is(flag.command, 'log');
  assert.match(usageError(['push', 'dir', '-m', 'x']).message, 'missing option --dataset');
  assert.match(usageError(['push', '--dataset', 'cats', '-m', 'x']).message, 'missing argument <dir>');
  assert.match(usageError(['tag', 'cats', 'v1']).message, 'missing argument <ref>');
  assert.match(usageError(['cat', 'cats', 'a', 'b']).message, 'unexpected argument "b"');
  assert.match(usageError(['merge', 'cats', 'dev']).message, 'missing option --into');
  // A string option at the end with no value.
  assert.match(usageError(['push', 'dir', '-m', 'x', '--dataset']).message, 'dataset');
  assert.match(usageError(['push', 'dir', '-m', '', '--dataset', 'cats']).message, '--message must not be empty');
  // A boolean flag given a value.
  assert.match(usageError(['log', 'cats', '--json=yes']).message, 'json');
});

test('-- ends options, so a positional may start with a dash', () => {
  const parsed = run(['cat', 'cats', '--', '-odd-name']);
  assert.is(parsed.args.positional('path'), '-odd-name');
});

test.run();
