import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './run-cli.ts';

const test = suite('sheaf serve');
const BIN = fileURLToPath(new URL('../../bin/sheaf.js', import.meta.url));
let dataDir: string;

test.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sheaf-serve-'));
});
test.after(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

test('serves on the given port and data dir, answers the CLI, and exits 0 on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--json'], {
    env: { ...process.env, SHEAF_LOG_LEVEL: 'silent', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = Date.now();
    while (!stdout.includes('\n')) {
      // A generous bound, not a timing target: a fresh on-disk database starts slowly on a loaded machine.
      assert.ok(Date.now() - started < 120_000, `no URL printed: ${stderr}`);
      assert.is(child.exitCode, null, `serve exited: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const printed = JSON.parse(stdout.split('\n')[0]!) as { url: string; dataDir: string; database: string; bootstrapToken: string | null };
    assert.equal([printed.dataDir, printed.database], [dataDir, 'pglite']);
    assert.match(printed.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(printed.bootstrapToken ?? '', /^shf_/, 'a fresh instance hands out its administrator token once');

    // Safe by default: nothing is done without a credential.
    const anonymous = await runCli(['dataset', 'create', 'cats', '--json'], { SHEAF_URL: printed.url });
    assert.is(anonymous.json?.error?.code, 'UNAUTHENTICATED', anonymous.stdout.toString());
    const created = await runCli(['dataset', 'create', 'cats', '--json'], { SHEAF_URL: printed.url, SHEAF_TOKEN: printed.bootstrapToken! });
    assert.is(created.code, 0, created.stderr);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.is(code, 0, stderr);
    assert.match(stderr, 'SIGTERM: shutting down');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('a configuration error exits 2 with its message', async () => {
  const run = await runCli(['serve', '--port', '0', '--data-dir', dataDir], { SHEAF_LOG_LEVEL: 'loud' });
  assert.is(run.code, 2);
  assert.match(run.stderr, 'error INVALID_CONFIG: invalid configuration');
  assert.match(run.stderr, 'SHEAF_LOG_LEVEL="loud"');
});

test.run();
