import { KeepRuleError } from '../../core/errors.ts';

/** How a clause compares an item's meta field with its literal. */
export type KeepOperator = '<' | '<=' | '>' | '>=' | '=' | '!=';

/** One `meta.<field> <op> <literal>` test. */
export interface KeepClause {
  /** The keys under `meta`, e.g. ['model', 'confidence'] for `meta.model.confidence`. */
  readonly field: readonly string[];
  readonly op: KeepOperator;
  readonly value: string | number | boolean | null;
}

/** A parsed rule: an item is kept when every clause holds. */
export interface KeepRule {
  /** The rule as written, for display. */
  readonly text: string;
  readonly clauses: readonly KeepClause[];
}

/** Longest rule accepted, in characters. */
export const MAX_KEEP_RULE_LENGTH = 1000;
/** Most clauses in one rule. */
export const MAX_KEEP_CLAUSES = 16;

const KEY = /[A-Za-z0-9_-]+/y;
const OPERATOR = /<=|>=|!=|==|<|>|=/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_.-])/y;
const WORD = /[A-Za-z0-9_.:\/-]+/y;
const QUOTED = /"(?:[^"\\]|\\.)*"/y;
const SPACE = /\s*/y;
const AND = /and(?![A-Za-z0-9_])/iy;

/**
 * Parses an edge filter rule: clauses `meta.<key>[.<key>…] <op> <literal>` joined by `and`,
 * with `<`, `<=`, `>`, `>=`, `=` (or `==`) and `!=`. A literal is a number, `true`, `false`,
 * `null`, a double-quoted JSON string, or a bare word (`background`), which is a string.
 * Examples: `meta.confidence<0.5`, `meta.label!=background and meta.score>=0.2`.
 * @throws KeepRuleError naming the offset of the first problem
 */
export function parseKeepRule(text: string): KeepRule {
  if (typeof text !== 'string') throw new KeepRuleError(String(text), 0, 'is not a string');
  if (text.length > MAX_KEEP_RULE_LENGTH) throw new KeepRuleError(text, MAX_KEEP_RULE_LENGTH, `is longer than ${MAX_KEEP_RULE_LENGTH} characters`);
  const scanner = new Scanner(text);
  const clauses: KeepClause[] = [];
  do {
    if (clauses.length === MAX_KEEP_CLAUSES) throw new KeepRuleError(text, scanner.at, `has more than ${MAX_KEEP_CLAUSES} clauses`);
    clauses.push(parseClause(scanner));
    scanner.skipSpace();
  } while (scanner.take(AND) !== null);
  if (!scanner.done) throw new KeepRuleError(text, scanner.at, 'expected "and" or the end of the rule');
  return { text, clauses };
}

function parseClause(scanner: Scanner): KeepClause {
  const start = scanner.skipSpace();
  const root = scanner.take(KEY);
  if (root !== 'meta' || scanner.peek() !== '.') throw new KeepRuleError(scanner.text, start, 'expected a field like meta.confidence');
  const field: string[] = [];
  while (scanner.peek() === '.') {
    scanner.at++;
    const key = scanner.take(KEY);
    if (key === null) throw new KeepRuleError(scanner.text, scanner.at, 'expected a key after "."');
    field.push(key);
  }
  scanner.skipSpace();
  const opAt = scanner.at;
  const op = scanner.take(OPERATOR);
  if (op === null) throw new KeepRuleError(scanner.text, opAt, 'expected one of < <= > >= = !=');
  const valueAt = scanner.skipSpace();
  const value = parseLiteral(scanner);
  if (value === undefined) throw new KeepRuleError(scanner.text, valueAt, 'expected a number, true, false, null, a "string" or a word');
  const normalized = op === '==' ? '=' : (op as KeepOperator);
  if (normalized !== '=' && normalized !== '!=' && typeof value !== 'number')
    throw new KeepRuleError(scanner.text, valueAt, `${op} compares numbers`);
  return { field, op: normalized, value };
}

function parseLiteral(scanner: Scanner): KeepClause['value'] | undefined {
  const number = scanner.take(NUMBER);
  if (number !== null) return Number(number);
  const quoted = scanner.take(QUOTED);
  if (quoted !== null) {
    try {
      return JSON.parse(quoted) as string;
    } catch {
      throw new KeepRuleError(scanner.text, scanner.at - quoted.length, 'has a malformed string escape');
    }
  }
  const word = scanner.take(WORD);
  if (word === null) return undefined;
  if (word === 'true') return true;
  if (word === 'false') return false;
  if (word === 'null') return null;
  return word;
}

/**
 * Whether an item with this meta passes the rule (every clause holds).
 *
 * A missing field makes a comparison false and `!=` true. MQTT user properties are strings, so
 * a number or boolean in the rule also matches its string form: `meta.confidence<0.5` holds
 * for `{ confidence: "0.3" }`. Strings compare only with `=` and `!=`.
 */
export function keeps(rule: KeepRule, meta: unknown): boolean {
  return rule.clauses.every((clause) => holds(clause, lookup(meta, clause.field)));
}

function holds(clause: KeepClause, actual: unknown): boolean {
  if (clause.op === '!=') return !equals(clause.value, actual);
  if (clause.op === '=') return equals(clause.value, actual);
  const n = asNumber(actual);
  if (n === undefined) return false;
  const limit = clause.value as number;
  switch (clause.op) {
    case '<':
      return n < limit;
    case '<=':
      return n <= limit;
    case '>':
      return n > limit;
    case '>=':
      return n >= limit;
  }
}

function equals(expected: KeepClause['value'], actual: unknown): boolean {
  if (actual === undefined) return false;
  if (typeof expected === 'number') return asNumber(actual) === expected;
  if (typeof expected === 'boolean') return actual === expected || actual === String(expected);
  if (expected === null) return actual === null;
  return actual === expected;
}

const NUMERIC = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

function lookup(meta: unknown, field: readonly string[]): unknown {
  let at = meta;
  for (const key of field) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A cursor over the rule's text taking sticky-regex tokens. */
class Scanner {
  at = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.at];
  }

  skipSpace(): number {
    this.take(SPACE);
    return this.at;
  }

  /** The token `pattern` (a sticky regex) matches right here, consumed; null when it does not match. */
  take(pattern: RegExp): string | null {
    pattern.lastIndex = this.at;
    const match = pattern.exec(this.text);
    if (!match || (match[0] === '' && pattern !== SPACE)) return null;
    this.at += match[0].length;
    return match[0];
  }
}
