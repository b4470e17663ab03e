import type { JsonValue } from '../canonical-json.ts';
import { comparePaths } from '../item-path.ts';
import type { CompareOp, FilterField, FilterLiteral, ItemFilter } from './filter-ast.ts';
import { labelsOf } from './item-labels.ts';

/** What a filter looks at: an item, or what a client knows of one. */
export interface FilterableItem {
  readonly path: string;
  readonly blob?: string | undefined;
  readonly size?: number | undefined;
  readonly meta: JsonValue;
  readonly annotations: JsonValue;
}

export type ItemPredicate = (item: FilterableItem) => boolean;

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Turns a parsed filter into a predicate (globs compiled once). The meaning:
 * - A field has a list of values: `path`, `blob`, `size` one each; `label` the labels of the
 *   annotations (item-labels.ts); `meta.a.b` / `annotations.a.b` what the keys reach, where a
 *   key applied to an array applies to each element (a numeric key indexes it), and a final
 *   array stands for its elements. A missing key gives no value.
 * - `=`, `in`, `<`, `<=`, `>`, `>=`, `~` hold when some value satisfies them; `!=` is
 *   `not =` (no value equal), `not in` is `not (… in …)`; `exists` holds when some value is
 *   not null.
 * - An unquoted literal that reads as a number, `true`, `false` or `null` equals that JSON
 *   value and the string spelled the same; other literals, and quoted ones, equal strings.
 * - Order comparisons use numbers with an unquoted numeric literal, strings (code point order)
 *   otherwise; values of the other type never satisfy them.
 * - `~` matches strings against a glob: `*` any run of characters (`/` included), `?` one.
 */
export function compileFilter(filter: ItemFilter): ItemPredicate {
  switch (filter.kind) {
    case 'and': {
      const clauses = filter.clauses.map(compileFilter);
      return (item) => clauses.every((clause) => clause(item));
    }
    case 'or': {
      const clauses = filter.clauses.map(compileFilter);
      return (item) => clauses.some((clause) => clause(item));
    }
    case 'not': {
      const clause = compileFilter(filter.clause);
      return (item) => !clause(item);
    }
    case 'exists':
      return (item) => valuesOf(filter.field, item).some((value) => value !== null);
    case 'in': {
      const { field, values } = filter;
      return (item) => valuesOf(field, item).some((value) => values.some((literal) => equals(value, literal)));
    }
    case 'compare': {
      const test = comparison(filter.op, filter.value);
      const { field } = filter;
      if (filter.op === '!=') return (item) => !valuesOf(field, item).some(test);
      return (item) => valuesOf(field, item).some(test);
    }
  }
}

function comparison(op: CompareOp, literal: FilterLiteral): (value: JsonValue) => boolean {
  switch (op) {
    case '=':
    case '!=':
      return (value) => equals(value, literal);
    case '~': {
      const glob = globRegExp(literal.text);
      return (value) => typeof value === 'string' && glob.test(value);
    }
    default: {
      const holds = ORDER[op];
      if (!literal.quoted && NUMBER.test(literal.text)) {
        const bound = Number(literal.text);
        return (value) => typeof value === 'number' && holds(value - bound);
      }
      return (value) => typeof value === 'string' && holds(comparePaths(value, literal.text));
    }
  }
}

const ORDER: Record<'<' | '<=' | '>' | '>=', (difference: number) => boolean> = {
  '<': (d) => d < 0,
  '<=': (d) => d <= 0,
  '>': (d) => d > 0,
  '>=': (d) => d >= 0,
};

function equals(value: JsonValue, literal: FilterLiteral): boolean {
  if (typeof value === 'string') return value === literal.text;
  if (literal.quoted) return false;
  if (typeof value === 'number') return NUMBER.test(literal.text) && Number(literal.text) === value;
  if (typeof value === 'boolean') return literal.text === String(value);
  return value === null && literal.text === 'null';
}

function valuesOf(field: FilterField, item: FilterableItem): JsonValue[] {
  switch (field.kind) {
    case 'path':
      return [item.path];
    case 'blob':
      return item.blob === undefined ? [] : [item.blob];
    case 'size':
      return item.size === undefined ? [] : [item.size];
    case 'label':
      return labelsOf(item.annotations);
    case 'meta':
    case 'annotations':
      return lookup(item[field.kind], field.keys);
  }
}

function lookup(root: JsonValue, keys: readonly string[]): JsonValue[] {
  let current: JsonValue[] = [root];
  for (const key of keys) {
    const next: JsonValue[] = [];
    for (const value of current) {
      if (Array.isArray(value)) {
        if (/^\d+$/.test(key)) {
          if (Number(key) < value.length) next.push(value[Number(key)]!);
        } else {
          for (const element of value) if (isObject(element) && Object.hasOwn(element, key)) next.push(element[key]!);
        }
      } else if (isObject(value) && Object.hasOwn(value, key)) {
        next.push(value[key]!);
      }
    }
    current = next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value]));
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function globRegExp(glob: string): RegExp {
  let source = '';
  for (const c of glob) source += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${source}$`, 'su');
}
