import type { CompareOp, FilterField, FilterLiteral, ItemFilter } from './filter-ast.ts';
import { lexFilter, syntax, type FilterToken } from './filter-lexer.ts';

/** Longest filter text accepted. */
export const MAX_FILTER_CHARS = 4096;
/** Deepest nesting of `not` and parentheses. */
export const MAX_FILTER_DEPTH = 32;
/** Most values in one `in (…)` list. */
export const MAX_IN_VALUES = 1000;

const FIELDS = 'path, blob, size, label, meta.<key> or annotations.<key>';

/**
 * Parses an item filter, e.g. `label=cat`, `meta.split = train and size < 1e6`,
 * `annotations.label in (cat, dog)`, `not path ~ "*.txt"`.
 *
 * ```
 * filter    := and ("or" and)*
 * and       := unary ("and" unary)*
 * unary     := "not" unary | "(" filter ")" | predicate
 * predicate := field op value | field ["not"] "in" "(" value ("," value)* ")" | field "exists"
 * op        := "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "~"
 * field     := path | blob | size | label | meta[.key…] | annotations[.key…]
 * value     := word | "quoted" | 'quoted'
 * ```
 * Keywords are case-insensitive. The meaning is matchesFilter's (match-filter.ts).
 * @throws InvalidInputError('filter') naming the column of the first problem
 */
export function parseFilter(text: string): ItemFilter {
  if (typeof text !== 'string') throw syntax('must be a string');
  if (text.length > MAX_FILTER_CHARS) throw syntax(`is longer than ${MAX_FILTER_CHARS} characters`);
  const parser = new Parser(lexFilter(text));
  const filter = parser.filter(0);
  const rest = parser.peek();
  if (rest) throw syntax(`unexpected ${describe(rest)} at column ${rest.column}`);
  return filter;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly FilterToken[]) {}

  peek(): FilterToken | undefined {
    return this.tokens[this.index];
  }

  filter(depth: number): ItemFilter {
    const clauses = [this.and(depth)];
    while (this.keyword('or')) clauses.push(this.and(depth));
    return clauses.length === 1 ? clauses[0]! : { kind: 'or', clauses };
  }

  private and(depth: number): ItemFilter {
    const clauses = [this.unary(depth)];
    while (this.keyword('and')) clauses.push(this.unary(depth));
    return clauses.length === 1 ? clauses[0]! : { kind: 'and', clauses };
  }

  private unary(depth: number): ItemFilter {
    const token = this.peek();
    if (depth > MAX_FILTER_DEPTH) throw syntax(`nests deeper than ${MAX_FILTER_DEPTH} levels at column ${token?.column ?? 'end'}`);
    if (this.keyword('not')) return { kind: 'not', clause: this.unary(depth + 1) };
    if (token?.kind === '(') {
      this.index++;
      const inner = this.filter(depth + 1);
      this.expect(')', 'to close the "(" at column ' + token.column);
      return inner;
    }
    return this.predicate();
  }

  private predicate(): ItemFilter {
    const token = this.next('a field');
    if (token.kind !== 'word') throw syntax(`expected a field (${FIELDS}) at column ${token.column}, found ${describe(token)}`);
    const field = fieldOf(token.text, token.column);
    if (this.keyword('exists')) return { kind: 'exists', field };
    const negated = this.keyword('not');
    if (negated || this.keyword('in')) {
      if (negated && !this.keyword('in')) throw syntax(`expected "in" after "not" at column ${this.peek()?.column ?? 'end'}`);
      const list: ItemFilter = { kind: 'in', field, values: this.list() };
      return negated ? { kind: 'not', clause: list } : list;
    }
    const op = this.next(`an operator after ${token.text}`);
    if (op.kind !== 'op') throw syntax(`expected an operator (=, !=, <, <=, >, >=, ~, in, exists) after ${token.text} at column ${op.column}`);
    return { kind: 'compare', field, op: op.text as CompareOp, value: this.value(`a value after "${op.text}"`) };
  }

  private list(): FilterLiteral[] {
    this.expect('(', 'after "in"');
    const values = [this.value('a value in the list')];
    while (this.peek()?.kind === ',') {
      this.index++;
      values.push(this.value('a value after ","'));
      if (values.length > MAX_IN_VALUES) throw syntax(`an "in" list holds at most ${MAX_IN_VALUES} values`);
    }
    this.expect(')', 'to close the list');
    return values;
  }

  private value(what: string): FilterLiteral {
    const token = this.next(what);
    if (token.kind === 'word') return { text: token.text, quoted: false };
    if (token.kind === 'string') return { text: token.text, quoted: true };
    throw syntax(`expected ${what} at column ${token.column}, found ${describe(token)}`);
  }

  /** Consumes the keyword if it comes next. */
  private keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'word' || token.text.toLowerCase() !== word) return false;
    this.index++;
    return true;
  }

  private expect(kind: '(' | ')', why: string): void {
    const token = this.next(`"${kind}" ${why}`);
    if (token.kind !== kind) throw syntax(`expected "${kind}" ${why} at column ${token.column}, found ${describe(token)}`);
  }

  private next(what: string): FilterToken {
    const token = this.tokens[this.index++];
    if (!token) throw syntax(`expected ${what}, but the filter ends`);
    return token;
  }
}

function fieldOf(text: string, column: number): FilterField {
  const [head, ...keys] = text.split('.');
  if (keys.some((key) => key === '')) throw syntax(`field ${JSON.stringify(text)} at column ${column} has an empty key`);
  switch (head) {
    case 'meta':
    case 'annotations':
      return { kind: head, keys };
    case 'path':
    case 'blob':
    case 'size':
    case 'label':
      if (keys.length === 0) return { kind: head };
  }
  throw syntax(`unknown field ${JSON.stringify(text)} at column ${column}: use ${FIELDS}`);
}

function describe(token: FilterToken): string {
  if (token.kind === 'word' || token.kind === 'op') return JSON.stringify(token.text);
  if (token.kind === 'string') return `the string ${JSON.stringify(token.text)}`;
  return `"${token.kind}"`;
}
