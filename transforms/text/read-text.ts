import type { TransformInput, TransformRejection } from '../../core/transforms/transform.ts';

/** The input as UTF-8 text without a byte order mark, or a rejection when it is not UTF-8. */
export async function readText(input: TransformInput): Promise<string | TransformRejection> {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(await input.bytes());
  } catch (error) {
    if (error instanceof TypeError) return { rejected: 'text is not valid UTF-8' };
    throw error;
  }
}

/** Text as UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

export const TEXT_MEDIA_TYPE = 'text/plain; charset=utf-8';
