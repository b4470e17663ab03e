// The header blocks of a deterministic regular-file entry, encoded here rather than through
// tar-stream's packer: its per-entry stream machinery cost more than reading a small file.
// The bytes are the ones tar-stream writes for the same header (ustar, and a pax header for a
// name that does not fit), so archives stay the same byte for byte.

/** A tar block: headers and content are padded to a multiple of it. */
export const BLOCK = 512;
/** The end of an archive: two zero blocks. */
export const END_OF_ARCHIVE: Uint8Array = Buffer.alloc(2 * BLOCK);

const READ_ONLY = 0o444;
const TYPE_FILE = 0x30; // '0'
const TYPE_PAX = 0x78; // 'x'
const SPACE = 0x20;

/** How many bytes the header of a file `name` takes (see writeFileHeader): BLOCK for a ustar name, more for a pax one. */
export function fileHeaderLength(name: string): number {
  return ustarSplit(name) ? BLOCK : 2 * BLOCK + paddedLength(Buffer.byteLength(paxRecord('path', name)));
}

/**
 * Writes the header of a regular file `name` of `size` bytes into `target` at `offset`, which
 * must have `fileHeaderLength(name)` bytes of room, and returns that length: a packer filling
 * its outgoing chunk in place allocates nothing per file. Mode 0444, mtime 0, uid and gid 0, no
 * user or group names: one ustar block when the name fits (ASCII, at most 100 bytes after
 * moving leading directories into the 155-byte prefix), otherwise a pax header block, the pax
 * record `path=<name>` padded to a block, and a ustar block named `PaxHeader`.
 */
export function writeFileHeader(target: Buffer, offset: number, name: string, size: number): number {
  const split = ustarSplit(name);
  if (split) {
    writeUstarBlock(target, offset, split, size, TYPE_FILE);
    return BLOCK;
  }
  const record = paxRecord('path', name);
  const recordLength = Buffer.byteLength(record);
  const padded = paddedLength(recordLength);
  writeUstarBlock(target, offset, PAX_NAME, recordLength, TYPE_PAX);
  target.fill(0, offset + BLOCK + target.write(record, offset + BLOCK, 'utf8'), offset + BLOCK + padded);
  writeUstarBlock(target, offset + BLOCK + padded, PAX_NAME, size, TYPE_FILE);
  return 2 * BLOCK + padded;
}

/** How many zero bytes follow `size` bytes of content, up to the next block boundary. */
export function paddingLength(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

function paddedLength(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** A name as ustar stores it: the last part in `name`, leading directories in `prefix`. */
interface UstarName {
  readonly name: string;
  readonly prefix: string;
}

const PAX_NAME: UstarName = { name: 'PaxHeader', prefix: '' };

/** `fullName` split for a ustar block, or null when it does not fit one. */
function ustarSplit(fullName: string): UstarName | null {
  // Only ASCII names are written as they are; anything else goes to a pax record in UTF-8.
  for (let i = 0; i < fullName.length; i++) if (fullName.charCodeAt(i) > 0x7f) return null;
  if (fullName.length <= 100) return { name: fullName, prefix: '' };
  let name = fullName;
  let prefix = '';
  while (name.length > 100) {
    const slash = name.indexOf('/');
    if (slash === -1) return null;
    prefix += prefix ? `/${name.slice(0, slash)}` : name.slice(0, slash);
    name = name.slice(slash + 1);
  }
  if (prefix.length > 155) return null;
  return { name, prefix };
}

// Every field but the name, size, type, prefix and checksum is the same in every header: the
// block starts as this copy, and its checksum from this sum (the checksum field counts as spaces).
const TEMPLATE = (() => {
  const block = Buffer.alloc(BLOCK);
  writeOctal(block, 100, READ_ONLY, 6);
  writeOctal(block, 108, 0, 6);
  writeOctal(block, 116, 0, 6);
  writeOctal(block, 136, 0, 11);
  block.write('ustar\x0000', 257, 'latin1');
  writeOctal(block, 329, 0, 6);
  writeOctal(block, 337, 0, 6);
  return block;
})();
const TEMPLATE_SUM = TEMPLATE.reduce((sum, byte) => sum + byte, 8 * SPACE);

/**
 * One ustar block at `offset` (whose name fits: see ustarSplit). Fields are written byte by
 * byte and summed as they go: through strings, a header cost about as much as reading a
 * small file from the page cache.
 */
function writeUstarBlock(block: Buffer, offset: number, { name, prefix }: UstarName, size: number, type: number): void {
  block.set(TEMPLATE, offset);
  let sum = TEMPLATE_SUM + type + writeAscii(block, offset, name) + writeSize(block, offset + 124, size);
  if (prefix) sum += writeAscii(block, offset + 345, prefix);
  block[offset + 156] = type;
  writeOctal(block, offset + 148, sum, 6);
}

/** Writes an ASCII `text` at `at`; returns the sum of its bytes. */
function writeAscii(block: Buffer, at: number, text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    block[at + i] = code;
    sum += code;
  }
  return sum;
}

/** `value` as `digits` octal digits (zero-padded) and a space at `at`; returns the sum of those bytes. */
function writeOctal(block: Buffer, at: number, value: number, digits: number): number {
  let rest = value;
  let sum = SPACE;
  for (let i = digits - 1; i >= 0; i--) {
    const digit = rest % 8;
    block[at + i] = 0x30 + digit;
    sum += 0x30 + digit;
    rest = Math.floor(rest / 8);
  }
  block[at + digits] = SPACE;
  return sum;
}

// Sizes below 8 GiB take eleven octal digits; larger ones GNU's base-256 form.
const OCTAL_SIZE_LIMIT = 8 ** 11;

/** The size field at `at`; returns the sum of its bytes. */
function writeSize(block: Buffer, at: number, size: number): number {
  if (size < OCTAL_SIZE_LIMIT) return writeOctal(block, at, size, 11);
  block[at] = 0x80;
  let sum = 0x80;
  let rest = size;
  for (let i = 11; i > 0; i--) {
    block[at + i] = rest & 0xff;
    sum += rest & 0xff;
    rest = Math.floor(rest / 0x100);
  }
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
