import { InvalidInputError } from '../errors.ts';

/** A token of the filter language; `column` is 1-based, for error messages. */
export type FilterToken =
  | { readonly kind: 'word'; readonly text: string; readonly column: number }
  | { readonly kind: 'string'; readonly text: string; readonly column: number }
  | { readonly kind: 'op'; readonly text: '=' | '!=' | '<' | '<=' | '>' | '>=' | '~'; readonly column: number }
  | { readonly kind: '(' | ')' | ','; readonly column: number };

// Everything else that is not white space belongs to a word: paths, globs and numbers
// (`images/*.jpg`, `-1.5e3`) need no quotes.
const PUNCTUATION = new Set(['(', ')', ',', '=', '!', '<', '>', '~', '"', "'"]);
const WHITE = /\s/;

/**
 * Splits filter text into tokens. Strings are quoted with `"` or `'`, with `\` escaping the
 * next character.
 * @throws InvalidInputError('filter') for an unterminated string or a stray `!`
 */
export function lexFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const column = i + 1;
    if (WHITE.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, column });
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
      }
      if (j >= text.length) throw syntax(`unterminated string starting at column ${column}`);
      tokens.push({ kind: 'string', text: value, column });
      i = j + 1;
    } else if (c === '=' || c === '~') {
      // `==` is accepted as `=`, as people type it.
      i += c === '=' && text[i + 1] === '=' ? 2 : 1;
      tokens.push({ kind: 'op', text: c, column });
    } else if (c === '<' || c === '>' || c === '!') {
      const equals = text[i + 1] === '=';
      if (c === '!' && !equals) throw syntax(`unexpected "!" at column ${column} (use "!=" or "not")`);
      tokens.push({ kind: 'op', text: (equals ? `${c}=` : c) as '<' | '>' | '<=' | '>=' | '!=', column });
      i += equals ? 2 : 1;
    } else {
      let j = i;
      while (j < text.length && !WHITE.test(text[j]!) && !PUNCTUATION.has(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), column });
      i = j;
    }
  }
  return tokens;
}

/** The error every syntax problem of a filter raises. */
export function syntax(reason: string): InvalidInputError {
  return new InvalidInputError('filter', reason);
}
