import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { parseItemPath } from '../core/item-path.ts';
import { CliError, ExitCode } from './cli-error.ts';
import { tarEntries } from './tar-entries.ts';

/** What an extraction wrote. */
export interface Extracted {
  readonly files: number;
  readonly bytes: number;
}

/**
 * Writes the regular files of a tar stream under `root` (new or empty), each at its entry
 * name, never through an existing file. A name that is not a safe relative path, or an entry
 * that is not a regular file or a directory, stops the extraction: a server's archive never
 * holds one, so it is reported as a broken answer.
 * @throws CliError CORRUPT_OBJECT (exit 3) for such an entry or a broken stream; the file
 *   system's errors
 */
export async function extractTar(source: AsyncIterable<Uint8Array>, root: string, onBytes?: (bytes: number) => void): Promise<Extracted> {
  const top = resolve(root);
  await mkdir(top, { recursive: true });
  let files = 0;
  let bytes = 0;
  for await (const entry of tarEntries(source)) {
    if (entry.type === 'directory') {
      for await (const _ of entry.content);
      continue;
    }
    const target = safeTarget(top, entry.name, entry.type);
    await mkdir(dirname(target), { recursive: true });
    const out = createWriteStream(target, { flags: 'wx' });
    try {
      for await (const chunk of entry.content) {
        bytes += chunk.byteLength;
        onBytes?.(chunk.byteLength);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    } catch (error) {
      out.destroy();
      throw error;
    }
    files++;
  }
  return { files, bytes };
}

function safeTarget(top: string, name: string, type: string): string {
  const broken = (why: string) => new CliError('CORRUPT_OBJECT', `the export holds ${JSON.stringify(name)}, which ${why}`, { exitCode: ExitCode.unexpected });
  if (type !== 'file' && type !== 'contiguous-file') throw broken(`is a ${type} entry`);
  try {
    parseItemPath(name);
  } catch (error) {
    throw broken(`is not a safe path (${(error as Error).message})`);
  }
  const target = resolve(top, ...name.split('/'));
  if (!target.startsWith(top + sep)) throw broken('resolves outside the target directory');
  return target;
}
