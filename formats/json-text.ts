import type { JsonValue } from '../core/canonical-json.ts';
import { jsonErrorOffset } from './json-error-offset.ts';

/** The result of parsing a format's JSON file: the value, or where and why it is malformed. */
export type JsonParse =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number };

/**
 * Parses JSON text without throwing: a malformed file is reported with its 1-based line and
 * column (found by `jsonErrorOffset`, since engines word and place errors differently),
 * so an importer can list it with the other problems of the import.
 */
export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text));
    // The engine's words without its place (computed above) or its quote of the text.
    const detail = reason
      .replace(/\s*\(line \d+ column \d+\)$/, '')
      .replace(/ in JSON at position \d+$/, '')
      .replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '');
    return { ok: false, message: `malformed JSON at line ${line}, column ${column}: ${detail}`, line, column };
  }
}

/** 1-based line and column of a UTF-16 offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: end - start + 1 };
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
