import { readFile, stat } from 'node:fs/promises';
import { CliError } from './cli-error.ts';
import { findJsonSyntaxError } from './labeling-json-position.ts';

// A schema or instructions file is a few kilobytes; anything this large was named by mistake.
const MAX_FILE_BYTES = 4 * 1024 * 1024;

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
};

/**
 * The text of a local file named on the command line (a leading byte order mark dropped, as
 * editors on some systems write one).
 * @throws CliError INVALID_INPUT naming the file when it cannot be read or is over 4 MiB
 */
export async function readLocalText(file: string): Promise<string> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (info.size > MAX_FILE_BYTES) throw new CliError('INVALID_INPUT', `${file}: ${info.size} bytes is too large (at most ${MAX_FILE_BYTES})`, { data: { file } });
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new CliError('INVALID_INPUT', `cannot read ${file}: ${READ_FAILURES[code] ?? code}`, { data: { file } });
  }
}

/**
 * A label schema file: JSON, checked by the server (this only parses it).
 * @throws CliError INVALID_INPUT `file:line:column: not JSON: unexpected "}"` (data: file, line, column)
 */
export async function readSchemaFile(file: string): Promise<unknown> {
  const text = await readLocalText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const at = findJsonSyntaxError(text) ?? { line: 1, column: 1, reason: 'not valid JSON' };
    throw new CliError('INVALID_INPUT', `${file}:${at.line}:${at.column}: not JSON: ${at.reason}`, { data: { file, line: at.line, column: at.column } });
  }
}

/**
 * The server's refusal of a schema (INVALID_INPUT "invalid schema/classes/2/color: …") with
 * the file it came from named first, so the author knows where to look; other errors as they are.
 */
export function blameSchemaFile(error: unknown, file: string): unknown {
  if (!(error instanceof CliError) || error.code !== 'INVALID_INPUT') return error;
  const field = /^invalid (schema(?:\/[^:\s]*)?):/.exec(error.message)?.[1];
  if (field === undefined) return error;
  return new CliError(error.code, `${file}: ${error.message}`, { ...error.options, data: { ...error.options.data, file, field } });
}
