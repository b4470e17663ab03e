import { parse, type DefaultTreeAdapterTypes } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** Elements whose content is never text a reader sees. */
const DROPPED = new Set(['head', 'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'select', 'button', 'textarea', 'datalist']);
/** Page furniture rather than content: dropped when boilerplate is removed. */
const BOILERPLATE = new Set(['nav', 'aside', 'footer']);
const BOILERPLATE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search']);
/** Elements that end a paragraph: a blank line around them. */
const PARAGRAPHS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote', 'table', 'ul', 'ol', 'dl', 'figure', 'hr']);
/** Elements that end a line. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'body', 'caption', 'dd', 'details', 'dialog', 'div', 'dt', 'fieldset', 'figcaption', 'footer', 'form',
  'header', 'hgroup', 'html', 'li', 'main', 'nav', 'option', 'section', 'summary', 'tr',
]);
const CELLS = new Set(['td', 'th']);

export interface HtmlText {
  /** The visible text: paragraphs separated by a blank line, table cells by tabs. */
  readonly text: string;
  /** The document's `<title>`, whitespace collapsed; null when it has none. */
  readonly title: string | null;
}

/**
 * The text a reader of an HTML page sees, from the WHATWG parse (parse5: entities decoded,
 * broken markup repaired as browsers do). Dropped: the head, scripts, styles, embedded
 * content, form controls, comments, elements marked `hidden` or `aria-hidden="true"`; with
 * `boilerplate`, also nav, aside and footer elements, header elements outside article and
 * main, and elements with the ARIA roles navigation, banner, contentinfo, complementary or
 * search. Whitespace collapses as in rendering (kept inside pre), block elements end lines,
 * paragraphs are separated by a blank line, table cells by a tab.
 */
export function htmlToText(html: string, options: { readonly boilerplate: boolean }): HtmlText {
  const document = parse(html);
  const writer = new TextWriter();
  // Depth-first without recursion (pages can nest thousands deep); exits are queued as markers.
  const stack: { node: Node; exit?: true; pre: boolean; inArticle: boolean }[] = [{ node: document, pre: false, inArticle: false }];
  while (stack.length > 0) {
    const { node, exit, pre, inArticle } = stack.pop()!;
    if (node.nodeName === '#text') {
      const value = (node as DefaultTreeAdapterTypes.TextNode).value;
      if (pre) writer.raw(value);
      else writer.text(value);
      continue;
    }
    if (!('childNodes' in node)) continue; // comments, doctype
    const element = 'tagName' in node ? (node as Element) : undefined;
    const tag = element?.tagName;
    if (exit) {
      if (tag && PARAGRAPHS.has(tag)) writer.lineBreak(2);
      else if (tag && BLOCKS.has(tag)) writer.lineBreak(1);
      continue;
    }
    if (element && tag) {
      if (DROPPED.has(tag) || isHidden(element) || (options.boilerplate && isBoilerplate(element, inArticle))) continue;
      if (tag === 'br') writer.lineBreak(1, true);
      if (PARAGRAPHS.has(tag)) writer.lineBreak(2);
      else if (BLOCKS.has(tag)) writer.lineBreak(1);
      else if (CELLS.has(tag)) writer.cell();
      stack.push({ node, exit: true, pre, inArticle });
    }
    const childPre = pre || tag === 'pre' || tag === 'textarea' || tag === 'listing';
    const childInArticle = inArticle || tag === 'article' || tag === 'main';
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push({ node: node.childNodes[i]!, pre: childPre, inArticle: childInArticle });
  }
  const title = titleOf(document);
  return { text: writer.done(), title: title ? collapse(textOf(title)) || null : null };
}

/** The first title element outside SVG (the document's, normally in the head). */
function titleOf(document: DefaultTreeAdapterTypes.Document): Element | undefined {
  const stack: Node[] = [document];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('tagName' in node && node.tagName === 'title') return node as Element;
    if ('tagName' in node && node.tagName === 'svg') continue;
    if ('childNodes' in node) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
  }
  return undefined;
}

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value;
}

function isHidden(element: Element): boolean {
  return attribute(element, 'hidden') !== undefined || attribute(element, 'aria-hidden')?.toLowerCase() === 'true';
}

function isBoilerplate(element: Element, inArticle: boolean): boolean {
  if (BOILERPLATE.has(element.tagName)) return true;
  if (element.tagName === 'header' && !inArticle) return true;
  const role = attribute(element, 'role')?.trim().toLowerCase();
  return role !== undefined && BOILERPLATE_ROLES.has(role);
}

function textOf(element: Element): string {
  let out = '';
  const stack: Node[] = [element];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeName === '#text') out += (node as DefaultTreeAdapterTypes.TextNode).value;
    else if ('childNodes' in node) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
  }
  return out;
}

// HTML's own white space: space, tab, LF, FF, CR (a no-break space is text).
const HTML_SPACE = /[ \t\n\f\r]+/g;

function collapse(text: string): string {
  return text.replace(HTML_SPACE, ' ').replace(/^ | $/g, '');
}

/** Accumulates rendered text: collapsing spaces between inline runs, breaking lines between blocks. */
class TextWriter {
  private out = '';
  /** What separates the next text from the last: nothing, a space, or a tab between cells. */
  private separator: '' | ' ' | '\t' = '';
  private breaks = 0;

  text(value: string): void {
    const collapsed = value.replace(HTML_SPACE, ' ');
    if (collapsed === '') return;
    const core = collapse(collapsed);
    if (core === '') {
      if (this.separator === '') this.separator = ' ';
      return;
    }
    if (collapsed.startsWith(' ') && this.separator === '') this.separator = ' ';
    this.emit(core);
    this.separator = collapsed.endsWith(' ') ? ' ' : '';
  }

  raw(value: string): void {
    if (value === '') return;
    this.emit(value);
    this.separator = '';
  }

  /** Ends the line (`count` 2: and leaves a blank one); `force` breaks even an empty line (br). */
  lineBreak(count: 1 | 2, force = false): void {
    if (force) {
      this.out += '\n'.repeat(this.breaks) + '\n';
      this.breaks = 0;
    } else if (this.out !== '') this.breaks = Math.max(this.breaks, count);
    this.separator = '';
  }

  cell(): void {
    if (this.out !== '' && !this.out.endsWith('\n') && this.breaks === 0) this.separator = '\t';
  }

  private emit(text: string): void {
    if (this.breaks > 0) this.out += '\n'.repeat(this.breaks);
    else if (this.separator !== '' && this.out !== '' && !this.out.endsWith('\n')) this.out += this.separator;
    this.breaks = 0;
    this.out += text;
  }

  done(): string {
    const text = this.out.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\n+$/g, '');
    return text === '' ? '' : text + '\n';
  }
}
