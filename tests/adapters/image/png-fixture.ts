import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * An 8-bit grayscale PNG whose header declares `width` × `height`, built by hand so the tests
 * need no image library. With `rows` it carries that many rows of pixel data (each pixel's value
 * is its column number), so an image with all its rows decodes, and a "pixel bomb" declaring
 * 20000 × 20000 with one row takes under a kilobyte.
 */
export function grayPng(width: number, height: number, rows = height): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  const row = Buffer.alloc(width + 1); // filter byte 0, then the pixels
  for (let x = 0; x < width; x++) row[x + 1] = x & 0xff;
  const pixels = Buffer.concat(Array<Buffer>(rows).fill(row));
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}
