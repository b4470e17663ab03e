export interface TextNormalization {
  readonly form: 'NFC' | 'NFD' | 'NFKC' | 'NFKD';
  readonly caseFold: boolean;
  readonly punctuation: boolean;
  readonly whitespace: boolean;
}

// Typographic quotes, primes and dashes as their ASCII forms; the ellipsis as three dots.
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u2035]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb]/g;
const DASHES = /[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]/g;
const ELLIPSIS = /\u2026/g;

// Invisible characters that only split words for a tokenizer: zero-width space, word joiner,
// byte order mark, soft hyphen; and control characters other than tab and line feed.
const INVISIBLE = /[\u200b\u2060\ufeff\u00ad\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;
const HORIZONTAL_SPACE = /[\t\f\v\p{Zs}]+/gu;

/**
 * Normalizes text in this order:
 * 1. the Unicode normalization `form` (NFKC by default: compatibility characters such as
 *    full-width letters, ligatures and superscripts become their plain forms);
 * 2. `caseFold`: case folding, as toUpperCase then toLowerCase (which, unlike toLowerCase
 *    alone, folds ß to ss) with final sigma ς folded to σ, then the form again;
 * 3. `punctuation`: curly and angled quotes and primes to ' and ", the dashes and minus signs
 *    to -, … to ...;
 * 4. `whitespace`: CR, CRLF and Unicode line separators to LF, invisible and control
 *    characters removed, each run of spaces and tabs (any Unicode space) to one space, lines
 *    trimmed, runs of blank lines to one, no blank lines at either end, and a final LF.
 */
export function normalizeText(text: string, options: TextNormalization): string {
  let out = text.normalize(options.form);
  if (options.caseFold) out = out.toUpperCase().toLowerCase().replaceAll('ς', 'σ').normalize(options.form);
  if (options.punctuation) out = out.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-').replace(ELLIPSIS, '...');
  if (options.whitespace) out = tidyWhitespace(out);
  return out;
}

/** The whitespace step of normalizeText, used alone by text.strip-html. */
export function tidyWhitespace(text: string): string {
  const lines = text
    .replace(LINE_BREAKS, '\n')
    .replace(INVISIBLE, '')
    .split('\n')
    .map((line) => line.replace(HORIZONTAL_SPACE, ' ').trim());
  const kept: string[] = [];
  for (const line of lines) if (line !== '' || (kept.length > 0 && kept[kept.length - 1] !== '')) kept.push(line);
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return kept.length === 0 ? '' : kept.join('\n') + '\n';
}
