import { randomBytes } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * What identifies one preview: the blob it shows, its size bound, its encoding, and the
 * version of the rendering (bumped when the encoder settings change, so old files are never
 * served for new requests). The blob's hash is validated before it gets here.
 */
export interface PreviewKey {
  readonly blob: string;
  readonly width: number;
  readonly format: 'jpeg' | 'webp';
  readonly version: string;
}

/**
 * A cached preview, open for reading: its size, and a stream over it. Call `stream` once; the
 * file is closed when the stream ends or is destroyed.
 */
export interface CachedPreview {
  readonly size: number;
  stream(): ReadStream;
}

/** Counters of the cache's use since it was created. */
export interface PreviewCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly writes: number;
}

/**
 * Rendered previews, kept for good. A preview is derived from an immutable blob, so it never
 * goes stale; the cache may be cleared at any time (the next request renders again).
 */
export interface PreviewCache {
  /** The preview, opened, or null when it is not cached. */
  get(key: PreviewKey): Promise<CachedPreview | null>;
  /** Stores a rendered preview; a concurrent reader sees the old state or the whole file, never a part. */
  put(key: PreviewKey, bytes: Uint8Array): Promise<void>;
  stats(): PreviewCacheStats;
}

/**
 * A PreviewCache in a directory: `root/ab/<blob>.w<width>.<version>.<jpg|webp>` (one fan-out
 * level by the blob hash's first two characters). A put writes a uniquely named file under
 * `root/tmp/`, flushes it and renames it into place, so a cached file is either absent or
 * complete, even across crashes. Deleting `root` (or any file in it) while the server runs is
 * safe: open readers keep their file, and writes recreate the directories they need.
 */
export class DiskPreviewCache implements PreviewCache {
  readonly root: string;
  private readonly tmpPrefix = `${process.pid}-${randomBytes(6).toString('hex')}-`;
  private tmpSeq = 0;
  private counters = { hits: 0, misses: 0, writes: 0 };

  constructor(options: { root: string }) {
    this.root = resolve(options.root);
  }

  /** Where the preview `key` is (or would be) stored. */
  pathOf(key: PreviewKey): string {
    const extension = key.format === 'jpeg' ? 'jpg' : 'webp';
    return join(this.root, key.blob.slice(0, 2), `${key.blob}.w${key.width}.${key.version}.${extension}`);
  }

  async get(key: PreviewKey): Promise<CachedPreview | null> {
    let handle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.counters.misses++;
      return null;
    }
    const { size } = await handle.stat();
    // Only a complete file is ever renamed into place; an empty one is not a preview.
    if (size === 0) {
      await handle.close();
      this.counters.misses++;
      return null;
    }
    this.counters.hits++;
    return { size, stream: () => handle.createReadStream() };
  }

  async put(key: PreviewKey, bytes: Uint8Array): Promise<void> {
    try {
      await this.write(key, bytes);
    } catch (error) {
      // The cache was cleared between creating the directories and the rename: once more.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await this.write(key, bytes);
    }
    this.counters.writes++;
  }

  private async write(key: PreviewKey, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const tmpDir = join(this.root, 'tmp');
    const tmp = join(tmpDir, `${this.tmpPrefix}${this.tmpSeq++}`);
    // Created every time: the cache may have been cleared since the last write.
    await Promise.all([mkdir(tmpDir, { recursive: true }), mkdir(dirname(target), { recursive: true })]);
    try {
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  stats(): PreviewCacheStats {
    return { ...this.counters };
  }
}
