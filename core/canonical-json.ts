import { InvalidInputError } from './errors.ts';

/** A JSON value as the core stores it: no undefined, no NaN/Infinity, no class instances. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_DEPTH = 64;

/**
 * Canonical JSON (RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace,
 * numbers in ECMAScript shortest round-trip form, strings escaped as `JSON.stringify` does.
 * The same value gives the same bytes on any machine and in any language that follows JCS.
 * @throws InvalidInputError for values JSON cannot represent exactly (NaN, Infinity,
 * undefined, functions, class instances, lone surrogates, nesting deeper than 64).
 */
export function canonicalJson(value: unknown, field = 'value'): string {
  return encode(value, field, 0);
}

function encode(value: unknown, field: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new InvalidInputError(field, `nests deeper than ${MAX_DEPTH} levels`);
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new InvalidInputError(field, 'contains invalid Unicode');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidInputError(field, `contains the non-finite number ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + encode(value[i], field, depth + 1);
        return out + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw new InvalidInputError(field, 'contains a non-plain object');
      const keys = Object.keys(value).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (LONE_SURROGATE.test(key)) throw new InvalidInputError(field, 'has a key with invalid Unicode');
        out += (i ? ',' : '') + JSON.stringify(key) + ':' + encode((value as Record<string, unknown>)[key], field, depth + 1);
      }
      return out + '}';
    }
    default:
      throw new InvalidInputError(field, `contains a value of type ${typeof value}`);
  }
}

/**
 * Validates that `value` is a JSON value of at most `maxBytes` canonical bytes and returns it
 * together with its canonical text.
 * @throws InvalidInputError
 */
export function parseJsonValue(value: unknown, field: string, maxBytes: number): { value: JsonValue; canonical: string } {
  const canonical = canonicalJson(value, field);
  if (Buffer.byteLength(canonical, 'utf8') > maxBytes)
    throw new InvalidInputError(field, `is larger than ${maxBytes} bytes once encoded`);
  return { value: value as JsonValue, canonical };
}

/** Like `parseJsonValue`, but requires a JSON object. */
export function parseJsonObject(value: unknown, field: string, maxBytes: number): { value: JsonObject; canonical: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidInputError(field, 'must be a JSON object');
  return parseJsonValue(value, field, maxBytes) as { value: JsonObject; canonical: string };
}

/**
 * Structural equality of two JSON values (object key order does not matter), i.e. whether
 * their canonical encodings are equal, without building them.
 */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.hasOwn(b, key) || !jsonEqual(a[key]!, b[key]!)) return false;
  return true;
}
