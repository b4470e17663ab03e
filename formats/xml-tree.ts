import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One element of a parsed XML document: its name, attributes, child elements in document order, and its own text. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's text content, trimmed (text of children not included). */
  readonly text: string;
}

/** Why a document could not be parsed, with the 1-based line (and column) where the parser stopped. */
export interface XmlProblem {
  readonly line: number;
  readonly message: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

/**
 * Parses an XML annotation file (Pascal VOC, CVAT) into a tree. Documents with a DOCTYPE are
 * refused: neither format uses one, and entity declarations are how XML bombs expand a small
 * file into gigabytes. Child order is kept, so annotations get their ids in file order.
 * Returns the root element, or the problem with its position; never throws for bad content.
 */
export function parseXmlTree(text: string): { readonly root: XmlElement } | { readonly problem: XmlProblem } {
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) return { problem: { line: lineAt(text, doctype.index), message: 'a DOCTYPE is not supported in annotation files' } };
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return { problem: { line: valid.err.line, message: `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}` } };
  }
  const roots = toElements(parser.parse(text) as unknown[]);
  if (roots.length !== 1) return { problem: { line: 1, message: `malformed XML: expected one root element, found ${roots.length}` } };
  return { root: roots[0]! };
}

function toElements(nodes: readonly unknown[]): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const node of nodes) {
    const record = node as Record<string, unknown>;
    const name = Object.keys(record).find((key) => key !== ':@');
    if (name === undefined || name === '#text') continue;
    const content = (record[name] ?? []) as unknown[];
    const text = content
      .map((child) => (child as Record<string, unknown>)['#text'])
      .filter((part) => part !== undefined)
      .join('');
    elements.push({
      name,
      attributes: (record[':@'] ?? {}) as Record<string, string>,
      children: toElements(content),
      text: String(text).trim(),
    });
  }
  return elements;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The first child called `name`, if any. */
export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

/** Every child called `name`, in document order. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** Escapes text for an XML element body or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number written in a file (`12`, `-5.6`, `1e3`), or null for anything else (empty, `NaN`, `0x10`). */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
