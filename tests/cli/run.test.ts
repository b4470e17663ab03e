import { closedPort } from '../helpers/closed-port.ts';
import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../../cli/run.ts';

const test = suite('run');

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { stream, text: () => text };
}

async function sheaf(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await run(argv, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

test('--help prints the overall usage on stdout and exits 0', async () => {
  const result = await sheaf(['--help']);
  assert.is(result.code, 0);
  for (const name of ['serve', 'dataset create', 'dataset list', 'push', 'log', 'branch', 'tag', 'diff', 'clone', 'merge', 'export', 'cat'])
    assert.match(result.stdout, `  ${name} `);
  assert.is(result.stderr, '');
});

test('<command> --help prints that command\'s usage', async () => {
  const result = await sheaf(['export', '--help']);
  assert.is(result.code, 0);
  assert.match(result.stdout, 'usage: sheaf export <ref> <dir> [--prefix <p>]');
});

test('usage errors exit 2 with the message and the usage on stderr', async () => {
  const result = await sheaf(['push', 'dir']);
  assert.is(result.code, 2);
  assert.is(result.stdout, '');
  assert.match(result.stderr, 'error USAGE: missing option --dataset');
  assert.match(result.stderr, 'usage: sheaf push');
  const none = await sheaf([]);
  assert.is(none.code, 2);
  assert.match(none.stderr, 'usage: sheaf <command>');
});

test('with --json a usage error is one JSON document on stdout', async () => {
  const result = await sheaf(['frobnicate', '--json']);
  assert.is(result.code, 2);
  assert.equal(JSON.parse(result.stdout), { error: { code: 'USAGE', message: 'unknown command "frobnicate"' } });
});

test('a bad --server or --port is a usage error', async () => {
  assert.is((await sheaf(['dataset', 'list', '--server', 'ftp://x'])).code, 2);
  assert.is((await sheaf(['dataset', 'list'], { SHEAF_URL: 'not a url' })).code, 2);
  assert.is((await sheaf(['serve', '--port', '70000'])).code, 2);
  assert.is((await sheaf(['log', 'cats', '--limit', '0'])).code, 2);
});

test('local validation fails with exit 1 before any request', async () => {
  const result = await sheaf(['diff', 'a'.repeat(63), 'cats', '--json', '--server', `http://127.0.0.1:${await closedPort()}`]);
  assert.is(result.code, 1);
  assert.is(JSON.parse(result.stdout).error.code, 'INVALID_HASH');
});

test('an unreachable server exits 3 with UNREACHABLE; the token is never printed', async () => {
  const port = await closedPort();
  const human = await sheaf(['dataset', 'list'], { SHEAF_URL: `http://127.0.0.1:${port}`, SHEAF_TOKEN: 's3cret-token' });
  assert.is(human.code, 3);
  assert.match(human.stderr, /^error UNREACHABLE: cannot reach the server at http:\/\/127\.0\.0\.1:\d+/);
  const json = await sheaf(['log', 'cats', '--json', '--server', `http://127.0.0.1:${port}`], { SHEAF_TOKEN: 's3cret-token' });
  assert.is(json.code, 3);
  assert.is(JSON.parse(json.stdout).error.code, 'UNREACHABLE');
  for (const output of [human.stdout, human.stderr, json.stdout, json.stderr]) assert.not.match(output, 's3cret');
});

test.run();
