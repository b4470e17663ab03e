import { PathTemplateError } from '../../core/errors.ts';
import { parseItemPath, MAX_PATH_BYTES, type ItemPath } from '../../core/item-path.ts';

/** A `{name}` or `{name:arg}` in a template. */
export interface Placeholder {
  readonly name: string;
  /** For `{hash:12}`: how many leading hex characters. */
  readonly length?: number | undefined;
}

/** A parsed template: literal text and placeholders, in order. */
export interface PathTemplate {
  readonly text: string;
  readonly parts: readonly (string | Placeholder)[];
}

/**
 * Which placeholders a template may use, and a value for each when the template is checked:
 * a template must give a valid item path for these sample values.
 */
export interface PlaceholderSet {
  /** Whether `{name}` is known; `record.<field>` names are asked as they are. */
  has(name: string): boolean;
  sample(placeholder: Placeholder): string;
}

const PLACEHOLDER = /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_-]+)*)(?::(\d{1,2}))?$/;
/** Shortest `{hash:N}` prefix: below this, unrelated blobs would share paths too often. */
export const MIN_HASH_PREFIX = 8;

/**
 * Parses an item path template like `{topic}/{timestamp}-{hash}.jpg`. `{hash:N}` takes the
 * first N (8 to 64) hex characters of the hash. Braces only delimit placeholders. The template
 * is rendered once with the set's sample values, so a template that can never give a valid
 * path (absolute, `..` segments) is refused here rather than message by message.
 * @throws PathTemplateError
 */
export function parsePathTemplate(text: string, allowed: PlaceholderSet): PathTemplate {
  if (typeof text !== 'string' || text === '') throw new PathTemplateError(String(text ?? ''), 'is empty');
  if (text.length > MAX_PATH_BYTES) throw new PathTemplateError(text, `is longer than ${MAX_PATH_BYTES} characters`);
  const parts: (string | Placeholder)[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{', at);
    const close = text.indexOf('}', at);
    if (close !== -1 && (open === -1 || close < open)) throw new PathTemplateError(text, `has a "}" without "{" at offset ${close}`);
    if (open === -1) {
      parts.push(text.slice(at));
      break;
    }
    if (open > at) parts.push(text.slice(at, open));
    const end = text.indexOf('}', open);
    if (end === -1) throw new PathTemplateError(text, `has a "{" without "}" at offset ${open}`);
    parts.push(parsePlaceholder(text, text.slice(open + 1, end), allowed));
    at = end + 1;
  }
  const template = { text, parts };
  try {
    renderPath(template, (p) => allowed.sample(p));
  } catch (error) {
    throw new PathTemplateError(text, `gives no valid path: ${(error as Error).message}`);
  }
  return template;
}

function parsePlaceholder(template: string, body: string, allowed: PlaceholderSet): Placeholder {
  const match = PLACEHOLDER.exec(body);
  if (!match || !allowed.has(match[1]!)) throw new PathTemplateError(template, `has an unknown placeholder {${body}}`);
  const name = match[1]!;
  if (match[2] === undefined) return { name };
  const length = Number(match[2]);
  if (name !== 'hash' || length < MIN_HASH_PREFIX || length > 64)
    throw new PathTemplateError(template, `{${body}}: only {hash:N} takes a length, from ${MIN_HASH_PREFIX} to 64`);
  return { name, length };
}

/**
 * The item path for one item: literal parts as they are, placeholders from `valueOf`.
 * @throws InvalidPathError when the result is not a valid item path (a topic with an empty
 * level, a record field holding "..")
 */
export function renderPath(template: PathTemplate, valueOf: (placeholder: Placeholder) => string): ItemPath {
  let path = '';
  for (const part of template.parts) path += typeof part === 'string' ? part : valueOf(part);
  return parseItemPath(path);
}

/** `{hash}` or `{hash:N}` of a hex hash. */
export function hashValue(hash: string, placeholder: Placeholder): string {
  return placeholder.length === undefined ? hash : hash.slice(0, placeholder.length);
}

/** `{timestamp}`: UTC ISO 8601 to the millisecond without ':' (not allowed in file names everywhere). */
export function timestampValue(at: Date): string {
  return at.toISOString().replaceAll(':', '');
}

/** `{seq}`: zero-padded to 12 digits, so that path order is arrival order. */
export function seqValue(seq: number): string {
  return String(seq).padStart(12, '0');
}
