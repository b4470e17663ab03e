import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

// Every image decode must go through openImage, which sets the pixel limit: a sharp pipeline
// opened anywhere else would decode a pixel bomb in full.
const test = suite('sharp is only used in adapters/image/open-image.ts');

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ALLOWED = 'adapters/image/open-image.ts';
const SKIPPED_DIRS = new Set(['node_modules', 'tests', 'dist', 'build']);

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) found.push(path);
  }
  return found;
}

/** What in `source` could open a sharp pipeline: calls of `sharp(`, value imports of the package. */
function sharpUses(source: string): string[] {
  const patterns = [
    /\bsharp\s*\(/g,
    /^\s*import\s+(?!type\b)[^;]*?\bfrom\s*['"]sharp['"]/gm,
    /\b(?:import|require)\s*\(\s*['"]sharp['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[0].trim()));
}

test('the detector finds calls and value imports, not type imports', () => {
  assert.equal(sharpUses('const img = sharp(buffer);'), ['sharp(']);
  assert.equal(sharpUses("import sharp from 'sharp';"), ["import sharp from 'sharp'"]);
  assert.equal(sharpUses('import decode, { type Sharp } from "sharp";'), ['import decode, { type Sharp } from "sharp"']);
  assert.equal(sharpUses("const s = await import('sharp');"), ["import('sharp')"]);
  assert.equal(sharpUses("import type { Sharp } from 'sharp';\nfunction f(image: Sharp) {}"), []);
});

test('no file outside adapters/image/open-image.ts opens sharp', () => {
  const files = sourceFiles(ROOT);
  assert.ok(files.some((file) => relative(ROOT, file).split(sep).join('/') === ALLOWED), 'the scan reaches open-image.ts');
  const offenders = files
    .map((file) => ({ file: relative(ROOT, file).split(sep).join('/'), uses: sharpUses(readFileSync(file, 'utf8')) }))
    .filter(({ file, uses }) => file !== ALLOWED && uses.length > 0)
    .map(({ file, uses }) => `${file}: ${uses.join(', ')}`);
  assert.equal(offenders, [], `decode images with openImage (adapters/image/open-image.ts):\n${offenders.join('\n')}`);
});

test.run();
