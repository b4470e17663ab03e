import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { extract as tarExtract, type Header } from 'tar-stream';
import { feedSink } from '../../adapters/tar/tar-sink.ts';
import { BlobTooLargeError, CoreError, InvalidInputError, InvalidPathError } from '../../core/errors.ts';
import { parseItemPath } from '../../core/item-path.ts';

/** Bounds on one spooled upload. */
export interface SpoolLimits {
  /** Bytes of file content in all (the server's `maxBlobBytes`). */
  readonly maxBytes: number;
  /** Regular files in all. */
  readonly maxFiles: number;
}

/** What was spooled: the regular files, by their `/`-separated relative paths, and their total size. */
export interface SpooledTree {
  readonly files: readonly string[];
  readonly bytes: number;
}

const BLOCK = 512;
// POSIX ends an archive with two zero blocks; requiring them tells a stream cut short at an entry
// boundary from a complete one.
const END_OF_ARCHIVE = 2 * BLOCK;
// Entries that carry no file: directories are implied by the files' paths anyway.
const SKIPPED_TYPES = new Set(['directory']);
const FILE_TYPES = new Set(['file', 'contiguous-file']);

/**
 * Writes the regular files of the tar stream `source` under `root` (an empty private
 * directory), each at its entry name, checking every entry before a byte of it is written:
 * names are item paths (a leading `./` is dropped; absolute names, `..` and empty segments,
 * backslashes and control characters are refused), only regular files and directories are
 * accepted (links, devices and FIFOs are refused: they could point outside `root`), a name
 * appears once, and the files stay within `limits`.
 *
 * On failure the caller removes `root`; nothing outside it is ever touched.
 * @throws InvalidPathError for a bad entry name; InvalidInputError for a forbidden entry type,
 *   a duplicate name, too many files, or a stream that is not a tar or is cut short;
 *   BlobTooLargeError when the files hold more than `maxBytes`; the source's own error.
 */
export async function spoolTar(source: AsyncIterable<Uint8Array>, root: string, limits: SpoolLimits): Promise<SpooledTree> {
  const extract = tarExtract();
  let fed = 0;
  let parseError: unknown;
  extract.on('error', (error) => (parseError ??= error));
  const feeding = feedSink(counted(source, (n) => (fed += n)), extract);
  const files: string[] = [];
  const seen = new Set<string>();
  const made = new Set<string>();
  let bytes = 0;
  let dataEnd = 0;
  try {
    for await (const entry of extract) {
      const header = entry.header;
      dataEnd = entry.offset + BLOCK + Math.ceil(header.size / BLOCK) * BLOCK;
      const path = checkEntry(header);
      if (path === null) {
        entry.resume();
        continue;
      }
      if (seen.has(path)) throw new InvalidInputError('tar entry', `${JSON.stringify(path)} appears twice`);
      seen.add(path);
      if (files.length >= limits.maxFiles) throw new InvalidInputError('tar', `at most ${limits.maxFiles} files per import`);
      bytes += header.size;
      if (bytes > limits.maxBytes) throw new BlobTooLargeError(limits.maxBytes);
      files.push(path);
      const target = join(root, ...path.split('/'));
      const folder = dirname(target);
      try {
        if (!made.has(folder)) {
          await mkdir(folder, { recursive: true, mode: 0o700 });
          made.add(folder);
        }
        await writeEntry(entry as AsyncIterable<Uint8Array>, target);
      } catch (error) {
        // A file and a folder of the same name: `a` and `a/b`.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR')
          throw new InvalidInputError('tar entry', `${JSON.stringify(path)} clashes with a file or folder of the same name`);
        throw error;
      }
    }
  } catch (error) {
    extract.destroy();
    const sourceError = await feeding;
    throw explain(error, sourceError, parseError);
  }
  const sourceError = await feeding;
  if (sourceError !== undefined) throw sourceError;
  if (fed - dataEnd < END_OF_ARCHIVE) throw new InvalidInputError('body', 'the tar stream ends without its end-of-archive blocks: it was cut short');
  return { files, bytes };
}

/** The entry's path, or null for an entry to skip. @throws InvalidPathError, InvalidInputError */
function checkEntry(header: Header): string | null {
  const type = header.type ?? 'file';
  let name = header.name;
  while (name.startsWith('./')) name = name.slice(2);
  if (type === 'directory') name = name.replace(/\/+$/, '');
  if (SKIPPED_TYPES.has(type) && (name === '' || name === '.')) return null;
  if (name.startsWith('/')) throw new InvalidPathError(header.name, 'is absolute');
  const path = parseItemPath(name);
  if (SKIPPED_TYPES.has(type)) return null;
  if (!FILE_TYPES.has(type))
    throw new InvalidInputError('tar entry', `${JSON.stringify(path)} is a ${type} entry; an import holds regular files and directories only`);
  return path;
}

/** Writes an entry's content to a new file (never through an existing one: `wx`). */
async function writeEntry(content: AsyncIterable<Uint8Array>, target: string): Promise<void> {
  const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
  try {
    for await (const chunk of content) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    throw error;
  }
}

/** The failure to report: the source's own first, then the checks' verdicts, then a parse error. */
function explain(error: unknown, sourceError: unknown, parseError: unknown): unknown {
  if (sourceError !== undefined) return sourceError;
  if (error instanceof CoreError) return error;
  // tar-stream's own failures are plain errors without an errno code; a disk's failures keep theirs.
  const cause = parseError ?? error;
  if (cause instanceof Error && (cause as NodeJS.ErrnoException).code === undefined)
    return new InvalidInputError('body', `is not a valid tar stream (${cause.message})`);
  return error;
}

async function* counted(source: AsyncIterable<Uint8Array>, add: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    add(chunk.byteLength);
    yield chunk;
  }
}
