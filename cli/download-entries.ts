import { CliError, ExitCode } from './cli-error.ts';

/** One entry of a blob download's tar; its content must be read to the end before asking for the next. */
export interface DownloadEntry {
  readonly name: string;
  readonly size: number;
  readonly content: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

const BLOCK = 512;
// Entries up to this size are handed over as one in-memory chunk; larger ones stream.
const WHOLE_ENTRY_MAX_BYTES = 1024 * 1024;

/**
 * The entries of a batched blob download (`POST …/blobs/fetch`): a tar of regular files named by
 * their hash, in plain ustar headers, as the server writes it. Read here without a general tar
 * parser, whose per-entry stream machinery cost more than the entries of small blobs: each small
 * entry is one slice of the received bytes. Anything the server never sends there — another
 * entry type, a pax or GNU header, a bad checksum — and a stream cut short fail with
 * CORRUPT_OBJECT (exit 3). Stopping early stops reading the source.
 * @throws CliError CORRUPT_OBJECT; the source's own error
 */
export async function* downloadEntries(source: AsyncIterable<Uint8Array>): AsyncGenerator<DownloadEntry> {
  const input = new Input(source[Symbol.asyncIterator]());
  try {
    for (;;) {
      const header = await input.take(BLOCK);
      if (header === null) throw corrupt('the download ended before the end of the archive');
      if (header.every((byte) => byte === 0)) return;
      const { name, size } = parseHeader(header);
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      if (size <= WHOLE_ENTRY_MAX_BYTES) {
        const body = await input.take(padded);
        if (body === null) throw corrupt(`the download ended inside ${name}`);
        yield { name, size, content: size === 0 ? [] : [body.subarray(0, size)] };
        continue;
      }
      let done = false;
      yield { name, size, content: (async function* () {
        for (let left = size; left > 0; ) {
          const chunk = await input.some(left);
          if (chunk === null) throw corrupt(`the download ended inside ${name}`);
          left -= chunk.byteLength;
          yield chunk;
        }
        if ((await input.take(padded - size)) === null) throw corrupt(`the download ended inside ${name}`);
        done = true;
      })() };
      if (!done) throw new Error(`the content of ${name} was not read to its end before the next entry was asked for`);
    }
  } finally {
    await input.close();
  }
}

/** The received bytes, taken in exact lengths. */
class Input {
  private parts: Buffer[] = [];
  private length = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** The next `n` bytes, or null when the source ends first. */
  async take(n: number): Promise<Buffer | null> {
    while (this.length < n) if (!(await this.pull())) return null;
    const first = this.parts[0];
    let joined: Buffer;
    if (first !== undefined && first.byteLength >= n) joined = first;
    else joined = Buffer.concat(this.parts, this.length);
    const taken = joined.subarray(0, n);
    const rest = joined.subarray(n);
    if (joined === first) this.parts[0] = rest;
    else this.parts = [rest];
    if (this.parts[0]!.byteLength === 0) this.parts.shift();
    this.length -= n;
    return taken;
  }

  /** Between 1 and `max` bytes, or null when the source has ended. */
  async some(max: number): Promise<Buffer | null> {
    if (this.length === 0 && !(await this.pull())) return null;
    return this.take(Math.min(max, this.parts[0]!.byteLength));
  }

  async close(): Promise<void> {
    await this.source.return?.();
  }

  private async pull(): Promise<boolean> {
    const next = await this.source.next();
    if (next.done) return false;
    const chunk = next.value;
    if (chunk.byteLength === 0) return true;
    this.parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.length += chunk.byteLength;
    return true;
  }
}

function parseHeader(header: Buffer): { name: string; size: number } {
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += header[i]!;
  if (octal(header, 148, 8) !== sum) throw corrupt('the download holds a tar header with a bad checksum');
  const type = header[156];
  if (type !== 0x30 && type !== 0) throw corrupt(`the download holds an entry of type ${JSON.stringify(String.fromCharCode(type!))}, not a file`);
  if (header.toString('latin1', 257, 263) !== 'ustar\0') throw corrupt('the download holds a header that is not ustar');
  const size = octal(header, 124, 12);
  if (size === null) throw corrupt('the download holds an entry of unreadable size');
  const prefix = text(header, 345, 155);
  const name = text(header, 0, 100);
  return { name: prefix ? `${prefix}/${name}` : name, size };
}

/** An octal field: digits, ended by a space or NUL, maybe after leading spaces or zeros. */
function octal(header: Buffer, offset: number, length: number): number | null {
  const field = header.toString('latin1', offset, offset + length).replace(/[ \0]+$/, '').trimStart();
  if (!/^[0-7]+$/.test(field)) return null;
  return parseInt(field, 8);
}

function text(header: Buffer, offset: number, length: number): string {
  const end = header.indexOf(0, offset);
  return header.toString('utf8', offset, end === -1 || end > offset + length ? offset + length : end);
}

function corrupt(message: string): CliError {
  return new CliError('CORRUPT_OBJECT', message, { exitCode: ExitCode.unexpected });
}
