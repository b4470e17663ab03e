import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TarFileSource } from '../../adapters/tar/pack-files.ts';
import { AlreadyExistsError } from '../../core/errors.ts';
import { parseItemPath } from '../../core/item-path.ts';
import type { FormatSink } from '../../formats/format.ts';
import type { AsyncChannel } from './async-channel.ts';

/** An item's media as the export reads it: its size, and how to open its bytes. */
export interface MediaSource {
  readonly size: number;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

export interface TarFormatSinkDeps {
  /** Where the tar's files go, in order (packFiles reads them from there). */
  readonly output: AsyncChannel<TarFileSource>;
  /** The media of the item at a Sheaf path. @throws NotFoundError('item') */
  readonly media: (itemPath: string) => Promise<MediaSource>;
  /** A private directory for streamed files until they are complete. */
  readonly spoolDir: string;
}

/**
 * A FormatSink whose files become the entries of a tar stream, in the order the writer asks
 * for them: a tar entry's header states its size, so a streamed file (`openFile`) is spooled
 * to disk and becomes an entry when closed, while media and small files go straight through.
 * Calls are taken in the order they are made, even when the writer does not wait for one
 * before the next, so the same writer gives the same bytes. Memory stays bounded: the output
 * channel is bounded, streamed files live on disk, media is streamed from the blob store.
 *
 * Output paths are checked like item paths, and each may be written once.
 * @throws (from its methods) InvalidPathError, AlreadyExistsError (kind `item`) for a path
 *   written twice, NotFoundError('item') for media of an item not in the snapshot
 */
export function tarFormatSink(deps: TarFormatSinkDeps): FormatSink & { settled(): Promise<void> } {
  const claimed = new Set<string>();
  let tail: Promise<unknown> = Promise.resolve();
  let spooled = 0;

  /** Runs `op` after every operation asked for before it. */
  function inOrder<T>(op: () => Promise<T>): Promise<T> {
    const result = tail.then(op);
    tail = result.catch(() => undefined);
    return result;
  }

  function claim(path: string): string {
    const checked = parseItemPath(path);
    if (claimed.has(checked)) throw new AlreadyExistsError('item', checked);
    claimed.add(checked);
    return checked;
  }

  return {
    /** Settles when every operation asked for so far has (whether or not it succeeded). */
    async settled() {
      await tail;
    },

    writeFile(path, content) {
      return inOrder(async () => {
        const name = claim(path);
        const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
        await deps.output.push({ name, size: bytes.byteLength, open: async () => [bytes] });
      });
    },

    openFile(path) {
      return inOrder(async () => {
        const name = claim(path);
        const file = join(deps.spoolDir, `file-${++spooled}`);
        const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
        await once(out, 'open');
        let closed: Promise<void> | undefined;
        return {
          async write(chunk: string) {
            if (closed) throw new Error(`${name} is already closed`);
            // Nobody reads the archive any more: stop the writer rather than fill the disk.
            if (deps.output.isAbandoned) throw new Error('the reader of the export stopped');
            if (!out.write(chunk, 'utf8')) await once(out, 'drain');
          },
          close() {
            closed ??= inOrder(async () => {
              out.end();
              await once(out, 'finish');
              const { size } = await stat(file);
              await deps.output.push({ name, size, open: async () => readThenRemove(file) });
            });
            return closed;
          },
        };
      });
    },

    copyMedia(itemPath, path) {
      return inOrder(async () => {
        const name = claim(path);
        const media = await deps.media(itemPath);
        await deps.output.push({ name, size: media.size, open: () => media.open() });
      });
    },
  };
}

/** A spooled file's bytes; the file is removed once read (or abandoned). */
async function* readThenRemove(file: string): AsyncGenerator<Uint8Array> {
  try {
    yield* createReadStream(file) as AsyncIterable<Buffer>;
  } finally {
    await rm(file, { force: true });
  }
}
