import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { directorySource } from '../../formats/directory-source.ts';
import type { FormatItem, LabelFormat, ReadResult } from '../../formats/format.ts';
import { memorySink, type MemorySink } from '../../formats/memory-sink.ts';

/** The shared real-world files, beside the repository. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** A fresh temporary directory holding `files` (path → text or bytes); remove it with `removeDir`. */
export async function tempDir(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sheaf-format-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

async function* iterate(items: readonly FormatItem[]): AsyncIterable<FormatItem> {
  yield* items;
}

/** Writes `read`'s items with `format` into a memory sink. */
export async function writeAll(format: LabelFormat, read: ReadResult, includeMedia = true): Promise<MemorySink> {
  const sink = memorySink();
  await format.write(iterate(read.items), sink, { classes: read.classes, includeMedia });
  return sink;
}

/**
 * The round trip the importer relies on: read `root`, write the items, lay the output out in a
 * directory (the media copied from `root` by item path), read that again, and require the same
 * items and classes. Returns the sink for further checks.
 */
export async function assertRoundTrip(format: LabelFormat, root: string, expected?: ReadResult): Promise<MemorySink> {
  const first = expected ?? (await format.read(directorySource(root), {}));
  assert.equal(first.errors, [], 'the original reads without errors');
  const mediaOf = new Map(first.items.map((item) => [item.path, item.media]));
  const sink = await writeAll(format, first);
  const out = await tempDir();
  try {
    for (const [path, bytes] of sink.files) {
      await mkdir(dirname(join(out, path)), { recursive: true });
      await writeFile(join(out, path), bytes);
    }
    for (const [path, itemPath] of sink.media) {
      const media = mediaOf.get(itemPath);
      assert.ok(media, `the writer copies the media of a known item (${itemPath})`);
      await mkdir(dirname(join(out, path)), { recursive: true });
      await copyFile(join(root, media), join(out, path));
    }
    const second = await format.read(directorySource(out), {});
    assert.equal(second.errors, [], 'the export reads without errors');
    assert.equal(second.items, first.items, 'the same items after a round trip');
    assert.equal(second.classes, first.classes, 'the same classes after a round trip');
  } finally {
    await removeDir(out);
  }
  return sink;
}

/** A file of a memory sink as text. */
export function text(sink: MemorySink, path: string): string {
  const bytes = sink.files.get(path);
  assert.ok(bytes, `${path} was written (written: ${[...sink.files.keys()].join(', ')})`);
  return new TextDecoder().decode(bytes);
}
