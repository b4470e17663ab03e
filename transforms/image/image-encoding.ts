import type { Sharp } from 'sharp';

/** The formats image transforms write. */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const IMAGE_EXTENSIONS: Readonly<Record<ImageFormat, string>> = { jpeg: '.jpg', png: '.png', webp: '.webp' };
export const IMAGE_MEDIA_TYPES: Readonly<Record<ImageFormat, string>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** The format an image keeps: its own when it is one we write, PNG (lossless) otherwise. */
export function keptFormat(decoder: string): ImageFormat {
  return (IMAGE_FORMATS as readonly string[]).includes(decoder) ? (decoder as ImageFormat) : 'png';
}

export interface EncodeOptions {
  readonly format: ImageFormat;
  /** 1..100, for JPEG and lossy WebP. */
  readonly quality: number;
  /** WebP only: lossless encoding (quality then ignored). */
  readonly lossless?: boolean;
}

/**
 * Ends `image` with an encoder whose every option that changes the bytes is pinned, so that
 * the same pixels always give the same file with this sharp/libvips build: no metadata (sharp
 * writes none unless asked), baseline JPEG with 4:2:0 chroma, libjpeg-turbo's standard tables
 * and optimised Huffman coding (no mozjpeg, no trellis); PNG at level 9 without adaptive
 * filtering or palette reduction; WebP at effort 4 without smart subsampling.
 */
export function encodeImage(image: Sharp, options: EncodeOptions): Sharp {
  const { format, quality } = options;
  switch (format) {
    case 'jpeg':
      return image.jpeg({
        quality,
        progressive: false,
        chromaSubsampling: '4:2:0',
        optimiseCoding: true,
        mozjpeg: false,
        trellisQuantisation: false,
        overshootDeringing: false,
        optimiseScans: false,
        quantisationTable: 0,
        force: true,
      });
    case 'png':
      return image.png({ compressionLevel: 9, adaptiveFiltering: false, palette: false, progressive: false, force: true });
    case 'webp':
      return image.webp({
        quality,
        alphaQuality: 100,
        lossless: options.lossless ?? false,
        nearLossless: false,
        smartSubsample: false,
        smartDeblock: false,
        effort: 4,
        preset: 'default',
        force: true,
      });
  }
}
