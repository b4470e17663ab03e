/** What a `Range` request header asks of a representation, after RFC 9110 §14. */
export type ByteRange =
  /** No range, or one the server ignores: send the whole content with 200. */
  | { readonly kind: 'whole' }
  /** Send bytes `[start, end)` with 206. */
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  /** Answer 416, with the content's size in `Content-Range`. */
  | { readonly kind: 'unsatisfiable' };

const WHOLE: ByteRange = { kind: 'whole' };
const UNSATISFIABLE: ByteRange = { kind: 'unsatisfiable' };
const SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

/**
 * Interprets a `Range` header against content of `size` bytes. Understands a single
 * `bytes=a-b`, `bytes=a-` or `bytes=-n`; a last position past the end is clamped. Multiple
 * ranges, other units and malformed headers yield `whole`: RFC 9110 lets a server ignore a
 * Range it does not support, and the whole content is always a correct answer.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (!header) return WHOLE;
  const separator = header.indexOf('=');
  if (separator < 0 || header.slice(0, separator).trim().toLowerCase() !== 'bytes') return WHOLE;
  const set = header.slice(separator + 1).trim();
  if (set.includes(',')) return WHOLE;
  const spec = SPEC.exec(set);
  if (!spec) return WHOLE;
  const [, first, last, suffix] = spec;
  if (suffix !== undefined) {
    const length = Number(suffix);
    if (length === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - length), end: size };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return WHOLE;
  if (start >= size) return UNSATISFIABLE;
  const end = last === '' ? size : Math.min(Number(last) + 1, size);
  return { kind: 'partial', start, end };
}
