import { z } from 'zod';
import type { ItemTransform } from '../../core/transforms/transform.ts';
import { withExtension } from '../output-path.ts';
import { boolean, parseParams } from '../params.ts';
import { htmlToText } from './html-to-text.ts';
import { readText, TEXT_MEDIA_TYPE, utf8 } from './read-text.ts';

const schema = z.strictObject({
  /** Drop page furniture: nav, aside, footer, page headers, ARIA landmark roles. */
  boilerplate: boolean().default(true),
});

export type StripHtmlParams = z.output<typeof schema>;

/**
 * `text.strip-html`: the visible text of UTF-8 HTML pages (parsed by parse5 as browsers do;
 * see html-to-text.ts for what is dropped and how lines, paragraphs and table cells are laid
 * out). No-break spaces and other Unicode are kept as they are: text.normalize after this
 * turns them to plain forms. The path's extension becomes `.txt`; meta gains
 * `title` when the page has one. Input that is not UTF-8 is rejected.
 */
export const textStripHtml: ItemTransform<StripHtmlParams> = {
  kind: 'item',
  name: 'text.strip-html',
  version: '1',
  description: 'Extract the visible text of HTML pages: tags, scripts and styles removed, entities decoded, navigation and footers dropped.',
  parseParams: (raw) => parseParams('text.strip-html', schema, raw),
  apply: async (input, params, context) => {
    context.signal.throwIfAborted();
    const html = await readText(input);
    if (typeof html !== 'string') return html;
    const { text, title } = htmlToText(html, params);
    const meta = title === null ? input.meta : { ...input.meta, title };
    return [{ path: withExtension(input.path, '.txt'), content: utf8(text), meta, annotations: input.annotations, mediaType: TEXT_MEDIA_TYPE }];
  },
};
