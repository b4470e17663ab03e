import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { formatCsvRecord, parseCsv } from './csv.ts';

/** What a cell holds: a number, nothing (empty or null), or something else. */
export type Cell = number | null | { readonly text: string };

/** A table read from a CSV or NDJSON item: named columns of cells. */
export interface Table {
  /** Column names in order of first appearance. */
  readonly columns: readonly string[];
  /** The cells of `column`, top to bottom (absent ones as null). */
  cells(column: string): Cell[];
  /** The table's file again, each number in `columns` replaced by `map(column, value)`. */
  write(columns: ReadonlySet<string>, map: (column: string, value: number) => number): Uint8Array;
}

/** How an item is read as a table, by its extension; undefined for items that are not tables. */
export function tableKind(path: string): 'csv' | 'tsv' | 'ndjson' | undefined {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  if (extension === 'csv' || extension === 'tsv') return extension;
  if (extension === 'ndjson' || extension === 'jsonl') return 'ndjson';
  return undefined;
}

// A decimal number as written in CSV; "NaN", "inf" and hex are text.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function csvCell(text: string): Cell {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
  return Number.isFinite(value) ? value : { text };
}

/**
 * Reads a table: CSV or TSV with a header row (`delimiter` for CSV), or NDJSON with one JSON
 * object per line (blank lines skipped; each top-level key is a column). CSV cells that read
 * as decimal numbers are numbers, empty ones missing; NDJSON numbers are numbers, nulls and
 * absent keys missing, anything else text.
 * @throws InvalidInputError('table') for invalid UTF-8, a CSV row with the wrong number of
 *   fields, a duplicate header name, or an NDJSON line that is not a JSON object
 */
export function readTable(kind: 'csv' | 'tsv' | 'ndjson', bytes: Uint8Array, delimiter: string): Table {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInputError('table', 'is not valid UTF-8');
  }
  return kind === 'ndjson' ? ndjsonTable(text) : csvTable(text, kind === 'tsv' ? '\t' : delimiter);
}

function csvTable(text: string, delimiter: string): Table {
  const [header, ...rows] = parseCsv(text, delimiter);
  if (!header) throw new InvalidInputError('table', 'is empty (no header row)');
  if (new Set(header).size !== header.length) throw new InvalidInputError('table', 'has a header naming a column twice');
  rows.forEach((row, index) => {
    if (row.length !== header.length) throw new InvalidInputError('table', `row ${index + 2} has ${row.length} fields, the header ${header.length}`);
  });
  return {
    columns: header,
    cells: (column) => {
      const at = header.indexOf(column);
      return at < 0 ? [] : rows.map((row) => csvCell(row[at]!));
    },
    write: (columns, map) => {
      const lines = [formatCsvRecord(header, delimiter)];
      for (const row of rows)
        lines.push(
          formatCsvRecord(
            row.map((field, at) => {
              const cell = columns.has(header[at]!) ? csvCell(field) : null;
              return typeof cell === 'number' ? String(map(header[at]!, cell)) : field;
            }),
            delimiter,
          ),
        );
      return Buffer.from(lines.join('\n') + '\n');
    },
  };
}

function ndjsonTable(text: string): Table {
  const records: JsonObject[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: JsonValue;
    try {
      value = JSON.parse(line) as JsonValue;
    } catch {
      throw new InvalidInputError('table', `line ${index + 1} is not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidInputError('table', `line ${index + 1} is not a JSON object`);
    records.push(value);
  });
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))];
  const cell = (value: JsonValue | undefined): Cell =>
    value === undefined || value === null ? null : typeof value === 'number' ? value : { text: JSON.stringify(value) };
  return {
    columns,
    cells: (column) => records.map((record) => cell(Object.hasOwn(record, column) ? record[column] : undefined)),
    write: (selected, map) => {
      const lines = records.map((record) =>
        JSON.stringify(Object.fromEntries(Object.entries(record).map(([key, value]) => [key, selected.has(key) && typeof value === 'number' ? map(key, value) : value]))),
      );
      return Buffer.from(lines.map((line) => line + '\n').join(''));
    },
  };
}
