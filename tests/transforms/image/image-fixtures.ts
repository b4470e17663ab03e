import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { openImage } from '../../../adapters/image/open-image.ts';

const RACCOONS = fileURLToPath(new URL('../../../../shared/data/images/raccoon_voc_subset/images/', import.meta.url));

/** A real photograph (raccoon-1.jpg is 650 × 417). */
export function raccoon(n: number): Buffer {
  return readFileSync(`${RACCOONS}raccoon-${n}.jpg`);
}

/**
 * A `width` × `height` RGBA PNG: the left half opaque red, the right half fully transparent.
 * (Tests may build images with sharp directly; the transforms may not.)
 */
export async function halfTransparentPng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width / 2; x++) pixels.set([255, 0, 0, 255], (y * width + x) * 4);
  return sharp(pixels, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

/** A one-channel gradient PNG. */
export async function grayGradientPng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = (x * 255) / (width - 1);
  return sharp(pixels, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer();
}

/**
 * A JPEG stored sideways: `width` × `height` pixels whose top row is white and the rest black,
 * with EXIF orientation `orientation` (6: display rotated 90° clockwise) and a camera make.
 */
export async function exifJpeg(width: number, height: number, orientation: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  pixels.fill(255, 0, width * 3 * 4);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .withExif({ IFD0: { Make: 'SheafCam' } })
    .withMetadata({ orientation })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** A GIF (a format the image transforms read but do not write). */
export async function gif(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 0, g: 128, b: 255 } } }).gif().toBuffer();
}

/** Decoded pixels of an encoded image, with its size and channel count. */
export async function pixelsOf(bytes: Uint8Array): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await openImage(Buffer.from(bytes), { maxPixels: 100_000_000 }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The header of an encoded image, EXIF included. */
export async function headerOf(bytes: Uint8Array) {
  return openImage(Buffer.from(bytes), { maxPixels: 100_000_000 }).metadata();
}
