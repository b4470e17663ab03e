import { z } from 'zod';
import type { JsonObject } from '../core/canonical-json.ts';
import { InvalidInputError } from '../core/errors.ts';

// Parameters arrive as JSON from GraphQL or as `k=v` strings from the CLI, so every schema here
// accepts a number's or a boolean's spelling as well as the value itself. Each gives its own
// message, naming the accepted values, instead of zod's generic one.

/** Strings as typed on a command line: a number's spelling becomes the number. */
function fromString(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}

/** An integer in [min, max] (a string spelling one is accepted). */
export function integer(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.preprocess(fromString, z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
}

/** A finite number in [min, max], or in (min, max] when `above` is set. */
export function number(min: number, max: number, options: { above?: boolean } = {}) {
  const error = `must be a number ${options.above ? 'above' : 'from'} ${min} ${options.above ? 'and at most' : 'to'} ${max}`;
  const base = z.number({ error }).max(max, { error });
  return z.preprocess(fromString, options.above ? base.gt(min, { error }) : base.min(min, { error }));
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** true/false, or one of the usual spellings of them. */
export function boolean() {
  return z.preprocess(
    (value) => (typeof value === 'string' ? (TRUE.has(value.toLowerCase()) ? true : FALSE.has(value.toLowerCase()) ? false : value) : value),
    z.boolean({ error: 'must be true or false' }),
  );
}

/** One of `values`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

/** A string of 1..max characters (or 0..max when `empty` is allowed). */
export function text(max: number, options: { empty?: boolean } = {}) {
  const min = options.empty ? 0 : 1;
  const error = `must be a string of ${min} to ${max} characters`;
  return z.string({ error }).min(min, { error }).max(max, { error });
}

/** A list, given as a JSON array or as comma-separated text (`a,b,c`). */
export function list<T extends z.ZodType>(item: T, maxItems: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter((part) => part !== '') : value),
    z.array(item, { error: 'must be a list (JSON array or comma-separated)' }).max(maxItems, { error: `must have at most ${maxItems} entries` }),
  );
}

/**
 * Validates `raw` against a transform's parameter schema (a strict object: unknown names are
 * refused, so a misspelt parameter is not silently ignored) and returns the typed parameters
 * with defaults filled in.
 * @throws InvalidInputError naming the first bad parameter
 */
export function parseParams<S extends z.ZodType>(transform: string, schema: S, raw: JsonObject): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '';
    throw new InvalidInputError(issue.keys[0] ?? 'params', `is not a parameter of ${transform}${known ? ` (known: ${known})` : ' (it takes none)'}`);
  }
  const field = issue.path.map(String).join('.') || 'params';
  throw new InvalidInputError(field, issue.message);
}
