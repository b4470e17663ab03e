import { z } from 'zod';
import { canonicalJson } from '../../core/canonical-json.ts';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { oneOf, parseParams, text } from '../params.ts';
import { readText, utf8 } from './read-text.ts';

const schema = z.strictObject({
  unit: oneOf(['words', 'sentences']).default('words'),
  /**
   * BCP 47 locale of the segmentation rules; fixed (not the server's) so every machine splits
   * the same way. Stored in its canonical spelling.
   */
  locale: text(64)
    .default('en')
    .transform((tag, context) => {
      try {
        return Intl.getCanonicalLocales(tag)[0]!;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en, de-CH, ja' });
        return z.NEVER;
      }
    }),
});

export type TokenizeParams = z.output<typeof schema>;

const SUFFIX = '.tokens.json';

/**
 * `text.tokenize`: splits UTF-8 text into words or sentences with Intl.Segmenter (Unicode
 * UAX #29 rules with ICU's dictionaries for languages written without spaces), keeping the
 * original item and adding `<path>.tokens.json`:
 * `{ "unit", "locale", "tokens": [...], "spans": [[start, end], ...] }` (canonical JSON), where
 * spans are offsets in Unicode code points (as Python indexes strings), end exclusive. Words
 * are the word-like segments (no punctuation or spaces); sentences are trimmed of surrounding
 * white space (UAX #29 knows no abbreviations: "Dr. Smith" is two sentences). The tokens item
 * carries the text's meta and annotations, its meta gaining
 * `tokenized: { source, unit, locale, count }`. Items that are themselves `.tokens.json` (from
 * an earlier run) are left out: their source gives them anew. Text that is not UTF-8 is
 * rejected. Segmentation follows the ICU data of the Node.js build.
 */
export const textTokenize: ItemTransform<TokenizeParams> = {
  kind: 'item',
  name: 'text.tokenize',
  version: '1',
  description: 'Split text into words or sentences (Intl.Segmenter), adding a <path>.tokens.json item beside the original.',
  parseParams: (raw) => parseParams('text.tokenize', schema, raw),
  apply: async (input, params, context) => {
    context.signal.throwIfAborted();
    if (input.path.endsWith(SUFFIX)) return [];
    const source = await readText(input);
    if (typeof source !== 'string') return source;
    const segmenter = new Intl.Segmenter(params.locale, { granularity: params.unit === 'words' ? 'word' : 'sentence' });
    const tokens: string[] = [];
    const spans: [number, number][] = [];
    let unitIndex = 0; // UTF-16 offset already converted
    let pointIndex = 0; // the same offset in code points
    for (const segment of segmenter.segment(source)) {
      if (params.unit === 'words' && !segment.isWordLike) continue;
      const token = params.unit === 'words' ? segment.segment : segment.segment.trim();
      if (token === '') continue;
      const start = segment.index + (params.unit === 'words' ? 0 : segment.segment.indexOf(token));
      pointIndex += codePoints(source, unitIndex, start);
      unitIndex = start;
      const length = codePoints(token, 0, token.length);
      tokens.push(token);
      spans.push([pointIndex, pointIndex + length]);
    }
    const content = utf8(canonicalJson({ unit: params.unit, locale: params.locale, tokens, spans }) + '\n');
    const tokenized = { source: input.path, unit: params.unit, locale: params.locale, count: tokens.length };
    return [
      { path: input.path, content: { blob: input.blob }, meta: input.meta, annotations: input.annotations },
      { path: input.path + SUFFIX, content, meta: { ...input.meta, tokenized }, annotations: input.annotations, mediaType: 'application/json' },
    ];
  },
};

/** Code points in text[from, to). */
function codePoints(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff || i === from) count++;
    else if (!(text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) count++;
  }
  return count;
}
