import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { directorySource } from '../../formats/directory-source.ts';
import type { LabelFormat, ReadOptions, ReadResult, WriteOptions, WriteSummary } from '../../formats/format.ts';
import { memorySink, type MemorySink } from '../../formats/memory-sink.ts';

/** The shared real-world files, beside the repository. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Files to lay out: path → text or bytes. */
export type Files = Readonly<Record<string, string | Uint8Array>> | ReadonlyMap<string, string | Uint8Array>;

/** Every temporary directory made by `tempDir` and not yet removed. */
const liveDirs = new Set<string>();

/**
 * A fresh temporary directory holding `files`, and the files of `media` (output path → absolute
 * path of the file to copy there); remove it with `removeDir`, or let `cleanupSuite` remove it at the end.
 */
export async function tempDir(files: Files = {}, media: ReadonlyMap<string, string> = new Map()): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-format-'));
  liveDirs.add(dir);
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  for (const [path, content] of entries) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  for (const [path, from] of media) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await copyFile(from, join(dir, path));
  }
  return dir;
}

/** Removes a directory made by `tempDir` (nothing when it is already gone). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

/** Reads `files`, laid out in a temporary directory, with `format`. */
export async function readFiles(format: LabelFormat, files: Files, options: ReadOptions = {}): Promise<ReadResult> {
  const dir = await tempDir(files);
  try {
    return await format.read(directorySource(dir), options);
  } finally {
    await removeDir(dir);
  }
}

/** The errors of reading malformed `files` with `format`, requiring that no item comes with them. */
export async function readErrors(format: LabelFormat, files: Files): Promise<ReadResult['errors']> {
  const result = await readFiles(format, files);
  assert.equal(result.items, [], 'nothing is imported when there are errors');
  return result.errors;
}

async function* iterate<T>(values: readonly T[]): AsyncIterable<T> {
  yield* values;
}

/** Write options: the common ones default to the read classes and including media; format-specific ones pass through. */
export type WriteOptionsOf = Partial<WriteOptions> & Readonly<Record<string, unknown>>;

/** What a writer produced: its files and media requests, and its summary. */
export interface Written {
  readonly sink: MemorySink;
  readonly summary: WriteSummary;
}

/** Writes `read`'s items with `format` into a memory sink (classes from `read`, media included unless `options` say otherwise). */
export async function writeAll(format: LabelFormat, read: Pick<ReadResult, 'items' | 'classes'>, options: WriteOptionsOf = {}): Promise<Written> {
  const sink = memorySink();
  const summary = await format.write(iterate(read.items), sink, { classes: read.classes, includeMedia: true, ...options });
  return { sink, summary };
}

/** The result of reading back what a writer produced. */
export interface RoundTrip extends Written {
  readonly again: ReadResult;
}

/**
 * Writes `read`'s items with `format`, lays the output out in a temporary directory (media the
 * writer asked for copied from `mediaRoot` by the items' media paths) and reads that back with
 * `format`. With `mediaRoot` null the media are left out. The directory is removed afterwards.
 */
export async function writeAndRead(format: LabelFormat, read: Pick<ReadResult, 'items' | 'classes'>, mediaRoot: string | null, options: WriteOptionsOf = {}): Promise<RoundTrip> {
  const { sink, summary } = await writeAll(format, read, { includeMedia: mediaRoot !== null, ...options });
  const mediaOf = new Map(read.items.map((item) => [item.path, item.media]));
  const media = new Map<string, string>();
  for (const [path, itemPath] of sink.media) {
    const from = mediaOf.get(itemPath);
    assert.ok(mediaRoot !== null && from, `the writer copies the media of a known item (${itemPath})`);
    media.set(path, join(mediaRoot, from));
  }
  const dir = await tempDir(sink.files, media);
  try {
    return { sink, summary, again: await format.read(directorySource(dir), {}) };
  } finally {
    await removeDir(dir);
  }
}

/**
 * The round trip the importer relies on: read `root` (or take `expected`), write the items, lay
 * the output out in a directory (the media copied from `root` by item path), read that again,
 * and require no errors and the same items and classes. Returns the output for further checks.
 */
export async function assertRoundTrip(format: LabelFormat, root: string, expected?: ReadResult): Promise<RoundTrip> {
  const first = expected ?? (await format.read(directorySource(root), {}));
  assert.equal(first.errors, [], 'the original reads without errors');
  const output = await writeAndRead(format, first, root);
  assert.equal(output.again.errors, [], 'the export reads without errors');
  assert.equal(output.again.items, first.items, 'the same items after a round trip');
  assert.equal(output.again.classes, first.classes, 'the same classes after a round trip');
  return output;
}

/**
 * A file's last suite: removes the temporary directories its tests kept for several checks
 * (those `tempDir` made and nobody removed) and checks that none is left on disk.
 */
export function cleanupSuite(name: string): Test {
  const cleanup = suite(`${name}: cleanup`);
  cleanup('remove temporary directories', async () => {
    const kept = [...liveDirs];
    for (const dir of kept) await removeDir(dir);
    for (const dir of kept) assert.not.ok(existsSync(dir), `${dir} is removed`);
  });
  return cleanup;
}

/** A file of a memory sink as text. */
export function text(sink: MemorySink, path: string): string {
  const bytes = sink.files.get(path);
  assert.ok(bytes, `${path} was written (written: ${[...sink.files.keys()].join(', ')})`);
  return new TextDecoder().decode(bytes);
}
