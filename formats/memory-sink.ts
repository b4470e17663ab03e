import { AlreadyExistsError } from '../core/errors.ts';
import { parseItemPath } from '../core/item-path.ts';
import type { FormatSink } from './format.ts';

/** A `FormatSink` that keeps what a writer produced in memory. */
export interface MemorySink extends FormatSink {
  /** Every written file by its output path, as bytes (text as UTF-8). A streamed file appears when it is closed. */
  readonly files: Map<string, Uint8Array>;
  /** Media the writer asked to copy: output path → the item's Sheaf path. */
  readonly media: Map<string, string>;
}

/**
 * A sink collecting a writer's output in memory, for tests and small exports. Output paths
 * are checked like item paths, and each may be written once: two items exported to the same
 * file would silently lose one of them in a directory or an archive.
 * @throws InvalidPathError for an unsafe output path; AlreadyExistsError (kind `item`) for a
 *   path written twice.
 */
export function memorySink(): MemorySink {
  const files = new Map<string, Uint8Array>();
  const media = new Map<string, string>();
  const claimed = new Set<string>();
  const encoder = new TextEncoder();

  function claim(path: string): void {
    parseItemPath(path);
    if (claimed.has(path)) throw new AlreadyExistsError('item', path);
    claimed.add(path);
  }

  return {
    files,
    media,
    async writeFile(path, content) {
      claim(path);
      files.set(path, typeof content === 'string' ? encoder.encode(content) : Uint8Array.from(content));
    },
    async openFile(path) {
      claim(path);
      const chunks: string[] = [];
      let closed = false;
      return {
        async write(chunk) {
          if (closed) throw new Error(`${path} is already closed`);
          chunks.push(chunk);
        },
        async close() {
          if (closed) return;
          closed = true;
          files.set(path, encoder.encode(chunks.join('')));
        },
      };
    },
    async copyMedia(itemPath, path) {
      claim(path);
      media.set(path, itemPath);
    },
  };
}
