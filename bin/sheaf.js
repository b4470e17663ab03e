#!/usr/bin/env node
// The `sheaf` command. It runs the bundle scripts/build-cli.mjs makes (dist/cli/, built by
// `npm install`) while the bundle is fresh: every source file it was built from still has the
// size and modification time recorded in dist/cli/inputs.json (a few hundred stats, well under
// a millisecond). Otherwise — no bundle, or a source edited, added to or removed from its
// inputs since — it runs the TypeScript sources through tsx, which costs a quarter of a second
// of startup but is always current. SHEAF_CLI_FROM_SOURCES=1 forces the sources.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bundle = join(root, 'dist', 'cli');

if (process.env.SHEAF_CLI_FROM_SOURCES !== '1' && isFresh()) {
  await import(new URL('../dist/cli/main.mjs', import.meta.url).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}

/** Whether every input the bundle lists is unchanged (a missing or unreadable list: not fresh). */
function isFresh() {
  let inputs;
  try {
    ({ inputs } = JSON.parse(readFileSync(join(bundle, 'inputs.json'), 'utf8')));
  } catch {
    return false;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) return false;
  for (const [path, size, mtimeMs] of inputs) {
    const info = statSync(join(root, path), { throwIfNoEntry: false });
    if (info === undefined || info.size !== size || info.mtimeMs !== mtimeMs) return false;
  }
  return true;
}
