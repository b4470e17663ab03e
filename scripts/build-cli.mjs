#!/usr/bin/env node
// Builds the `sheaf` command into dist/cli/ (git-ignored): one ES module bundle of cli/main.ts
// and everything it imports from this repository, packages left to node_modules. Loading the
// TypeScript sources through tsx costs a quarter of a second per command, the bundle a tenth
// of that. The server stack (`sheaf serve`, `sheaf worker`) is split into chunks loaded only
// by those commands.
//
// Next to the bundle, inputs.json lists every source file it was built from with its size and
// modification time: bin/sheaf.js uses the bundle only while they all still match, and runs
// the sources through tsx otherwise, so an edited checkout never runs stale code.
//
// Usage: node scripts/build-cli.mjs (run by `npm install`, `npm start` and `npm test`)
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(root, 'dist', 'cli');
// Built beside the final place and renamed into it, so a command starting meanwhile sees either
// the old complete bundle or none (and runs the sources).
const staging = `${out}.${randomBytes(6).toString('hex')}`;
const started = Date.now();

/**
 * A module that finds files next to itself (`new URL('../x/', import.meta.url)`) must still
 * find them from the bundle's chunks: its `import.meta.url` becomes its own source file's URL,
 * computed from the chunk's, so the built tree can move with the checkout.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const contents = await readFile(args.path, 'utf8');
      if (!contents.includes('import.meta.url')) return undefined;
      const fromChunk = relative(out, args.path).split('\\').join('/');
      return { contents: contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

try {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'cli/main.ts' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
  // The build's own configuration counts as an input: changing it makes the bundle stale.
  const names = [...Object.keys(result.metafile.inputs), 'scripts/build-cli.mjs', 'tsconfig.json'];
  const inputs = [];
  for (const name of names) {
    const info = await stat(resolve(root, name));
    // Changed while esbuild was reading: what it read is unknown, so the bundle is not trusted.
    if (info.mtimeMs >= started) throw new Error(`${name} changed during the build; run it again`);
    inputs.push([name, info.size, info.mtimeMs]);
  }
  await writeFile(resolve(staging, 'inputs.json'), `${JSON.stringify({ inputs })}\n`);
  const old = `${staging}.old`;
  await rename(out, old).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(staging, out);
  await rm(old, { recursive: true, force: true });
  process.stderr.write(`built ${relative(root, out)}/main.mjs from ${inputs.length} files in ${Date.now() - started} ms\n`);
} catch (error) {
  await rm(staging, { recursive: true, force: true });
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
}
