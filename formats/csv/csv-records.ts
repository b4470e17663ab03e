import { parse } from 'csv-parse/sync';
import type { FormatErrorList } from '../format-errors.ts';

/** One record of a CSV file with the 1-based line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * The records of CSV `text` (RFC 4180: quoted fields with commas, quotes doubled, line breaks
 * inside quotes; `\r\n` or `\n` line ends; blank lines skipped). A record that cannot be parsed
 * is reported in `errors` with its line and the others are still returned, so one read lists
 * every problem.
 */
export function csvRecords(file: string, text: string, errors: FormatErrorList): CsvRecord[] {
  const rows = parse(text, {
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n'],
    on_skip: (error) => {
      if (error) errors.add(file, `malformed CSV: ${error.message.replace(/ at line \d+/, '')}`, { line: Number(error.lines) });
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return rows.map(({ record, info }) => {
    // `info.lines` is where the record ends; quoted line breaks put its start earlier.
    const breaks = record.reduce((count, field) => count + (field.match(/\n/g)?.length ?? 0), 0);
    return { line: info.lines - breaks, fields: record };
  });
}

/** A field quoted when it must be (RFC 4180): it holds a comma, a quote, a line break, or spaces at an end. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV line (with its `\n`) of `fields`. */
export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(',') + '\n';
}
