import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));

const test = suite('the sheaf executable: a bundle while fresh, the sources otherwise');
let root: string;

// A miniature checkout: the real bin/sheaf.js and build script over a two-file CLI whose output
// says where it ran from and finds a file next to its source, as the server finds its UI.
test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'sheaf-bundle-'));
  await Promise.all(['bin', 'scripts', 'cli', 'assets'].map((dir) => mkdir(join(root, dir))));
  await copyFile(join(repo, 'bin', 'sheaf.js'), join(root, 'bin', 'sheaf.js'));
  await copyFile(join(repo, 'scripts', 'build-cli.mjs'), join(root, 'scripts', 'build-cli.mjs'));
  await copyFile(join(repo, 'tsconfig.json'), join(root, 'tsconfig.json'));
  await symlink(join(repo, 'node_modules'), join(root, 'node_modules'));
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(root, 'assets', 'greeting.txt'), 'hello');
  await writeFile(
    join(root, 'cli', 'main.ts'),
    [
      "import { greeting } from './greeting.ts';",
      "const from: string = new Error().stack!.includes('main.mjs') ? 'bundle' : 'sources';",
      'process.stdout.write(`${from} ${greeting()}`);',
      '',
    ].join('\n'),
  );
  await writeGreeting('');
});

test.after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeGreeting(suffix: string): Promise<void> {
  await writeFile(
    join(root, 'cli', 'greeting.ts'),
    [
      "import { readFileSync } from 'node:fs';",
      `export const greeting = (): string => readFileSync(new URL('../assets/greeting.txt', import.meta.url), 'utf8') + ${JSON.stringify(suffix)};`,
      '',
    ].join('\n'),
  );
}

async function sheaf(env: NodeJS.ProcessEnv = {}): Promise<string> {
  return (await run(process.execPath, [join(root, 'bin', 'sheaf.js')], { env: { ...process.env, ...env } })).stdout;
}

async function build(): Promise<void> {
  await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')]);
}

test('without a bundle, the sources run', async () => {
  assert.is(await sheaf(), 'sources hello');
});

test('a fresh bundle runs, and finds files next to its sources', async () => {
  await build();
  const inputs = JSON.parse(await readFile(join(root, 'dist', 'cli', 'inputs.json'), 'utf8')).inputs.map(([path]: [string]) => path);
  assert.ok(inputs.includes('cli/main.ts') && inputs.includes('cli/greeting.ts'), inputs.join(', '));
  assert.is(await sheaf(), 'bundle hello');
  assert.is(await sheaf({ SHEAF_CLI_FROM_SOURCES: '1' }), 'sources hello');
});

test('an edited input makes the bundle stale: the sources run until it is rebuilt', async () => {
  await build();
  await writeGreeting('!');
  assert.is(await sheaf(), 'sources hello!');
  await build();
  assert.is(await sheaf(), 'bundle hello!');
});

test('a removed input, or a bundle without its list of inputs, is not used', async () => {
  await build();
  await rm(join(root, 'tsconfig.json'));
  assert.is(await sheaf(), 'sources hello!');
  await copyFile(join(repo, 'tsconfig.json'), join(root, 'tsconfig.json'));
  await build();
  await rm(join(root, 'dist', 'cli', 'inputs.json'));
  assert.is(await sheaf(), 'sources hello!');
});

test.run();
