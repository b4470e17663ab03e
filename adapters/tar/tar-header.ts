// The header blocks of a deterministic regular-file entry, encoded here rather than through
// tar-stream's packer: its per-entry stream machinery cost more than reading a small file.
// The bytes are the ones tar-stream writes for the same header (ustar, and a pax header for a
// name that does not fit), so archives stay the same byte for byte.

/** A tar block: headers and content are padded to a multiple of it. */
export const BLOCK = 512;
/** The end of an archive: two zero blocks. */
export const END_OF_ARCHIVE: Uint8Array = Buffer.alloc(2 * BLOCK);

const READ_ONLY = 0o444;
const ZEROS = '0000000000000000000';
const SEVENS = '7777777777777777777';
const TYPE_FILE = 0x30; // '0'
const TYPE_PAX = 0x78; // 'x'

/**
 * The header of a regular file `name` of `size` bytes, mode 0444, mtime 0, uid and gid 0, no
 * user or group names: one ustar block when the name fits (ASCII, at most 100 bytes after
 * moving leading directories into the 155-byte prefix), otherwise a pax header block, the pax
 * record `path=<name>` padded to a block, and a ustar block named `PaxHeader`.
 */
export function fileHeader(name: string, size: number): Buffer {
  const ustar = ustarBlock(name, size, TYPE_FILE);
  if (ustar) return ustar;
  const record = Buffer.from(paxRecord('path', name));
  const padded = paddedLength(record.byteLength);
  const out = Buffer.alloc(2 * BLOCK + padded);
  ustarBlock('PaxHeader', record.byteLength, TYPE_PAX)!.copy(out, 0);
  record.copy(out, BLOCK);
  ustarBlock('PaxHeader', size, TYPE_FILE)!.copy(out, BLOCK + padded);
  return out;
}

/** Zero bytes after `size` bytes of content up to the next block boundary. */
export function paddingAfter(size: number): Uint8Array {
  const rest = size % BLOCK;
  return rest === 0 ? EMPTY : END_OF_ARCHIVE.subarray(0, BLOCK - rest);
}

const EMPTY = new Uint8Array(0);

function paddedLength(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** One ustar block, or null when `name` does not fit one. */
function ustarBlock(fullName: string, size: number, type: number): Buffer | null {
  // Only ASCII names are written as they are; anything else goes to a pax record in UTF-8.
  if (!/^[\x00-\x7f]*$/.test(fullName)) return null;
  let name = fullName;
  let prefix = '';
  while (name.length > 100) {
    const slash = name.indexOf('/');
    if (slash === -1) return null;
    prefix += prefix ? `/${name.slice(0, slash)}` : name.slice(0, slash);
    name = name.slice(slash + 1);
  }
  if (prefix.length > 155) return null;
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 'latin1');
  block.write(octal(READ_ONLY, 6), 100, 'latin1');
  block.write(octal(0, 6), 108, 'latin1');
  block.write(octal(0, 6), 116, 'latin1');
  writeSize(block, size);
  block.write(octal(0, 11), 136, 'latin1');
  block[156] = type;
  block.write('ustar\x0000', 257, 'latin1');
  block.write(octal(0, 6), 329, 'latin1');
  block.write(octal(0, 6), 337, 'latin1');
  if (prefix) block.write(prefix, 345, 'latin1');
  block.write(octal(checksum(block), 6), 148, 'latin1');
  return block;
}

/** `n` octal digits and a space; all sevens when the value does not fit. */
function octal(value: number, digits: number): string {
  const text = value.toString(8);
  return text.length > digits ? `${SEVENS.slice(0, digits)} ` : `${ZEROS.slice(0, digits - text.length)}${text} `;
}

/** Eleven octal digits, or GNU's base-256 form for sizes of 8 GiB and more. */
function writeSize(block: Buffer, size: number): void {
  if (size.toString(8).length <= 11) {
    block.write(octal(size, 11), 124, 'latin1');
    return;
  }
  block[124] = 0x80;
  let rest = size;
  for (let i = 11; i > 0; i--) {
    block[124 + i] = rest & 0xff;
    rest = Math.floor(rest / 0x100);
  }
}

/** The header checksum: the sum of its bytes with the checksum field read as spaces. */
function checksum(block: Buffer): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += block[i]!;
  for (let i = 156; i < BLOCK; i++) sum += block[i]!;
  return sum;
}

/** A pax record: its own length in decimal, a space, `key=value`, a newline. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const length = Buffer.byteLength(body);
  let digits = String(length).length;
  if (length + digits >= 10 ** digits) digits++;
  return `${length + digits}${body}`;
}
