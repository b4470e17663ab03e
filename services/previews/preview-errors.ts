import { CoreError } from '../../core/errors.ts';

/**
 * Why a blob has no preview: its content is not an image the server decodes. Expected for any
 * blob that is not an image (text, audio, a damaged file); nothing is cached.
 */
export class NotAnImageError extends CoreError<{ blob: string; reason: string }> {
  static readonly code = 'NOT_AN_IMAGE';
  readonly code = NotAnImageError.code;
  constructor(blob: string, reason: string) {
    super(`blob ${blob} has no preview: it ${reason}`, { blob, reason });
  }
}

/**
 * The blob is an image larger than the server decodes: more pixels than `maxImagePixels`
 * (judged from its header, before decoding) or more bytes than a preview reads.
 */
export class ImageTooLargeError extends CoreError<{ blob: string; limit: string }> {
  static readonly code = 'IMAGE_TOO_LARGE';
  readonly code = ImageTooLargeError.code;
  constructor(blob: string, limit: string) {
    super(`blob ${blob} has no preview: it has ${limit}`, { blob, limit });
  }
}
