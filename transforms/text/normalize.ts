import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { boolean, oneOf, parseParams } from '../params.ts';
import { normalizeText } from './normalize-text.ts';
import { readText, TEXT_MEDIA_TYPE, utf8 } from './read-text.ts';

const schema = z.strictObject({
  form: oneOf(['NFC', 'NFD', 'NFKC', 'NFKD']).default('NFKC'),
  caseFold: boolean().default(true),
  punctuation: boolean().default(true),
  whitespace: boolean().default(true),
});

export type NormalizeParams = z.output<typeof schema>;

/**
 * `text.normalize`: Unicode normalization, case folding, punctuation and whitespace (see
 * normalize-text.ts for each step). Keeps the path, meta and annotations; text that is not
 * UTF-8 is rejected. Note that character offsets in span annotations may no longer match.
 */
export const textNormalize: ItemTransform<NormalizeParams> = {
  kind: 'item',
  name: 'text.normalize',
  version: '1',
  description: 'Normalize UTF-8 text: Unicode NFKC, case folding, typographic quotes and dashes, whitespace.',
  parseParams: (raw) => parseParams('text.normalize', schema, raw),
  apply: async (input, params, context) => {
    context.signal.throwIfAborted();
    const text = await readText(input);
    if (typeof text !== 'string') return text;
    const content = utf8(normalizeText(text, params));
    return [{ path: input.path, content, meta: input.meta, annotations: input.annotations, mediaType: TEXT_MEDIA_TYPE }];
  },
};
