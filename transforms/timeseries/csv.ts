import { InvalidInputError } from '../../core/errors.ts';

/**
 * Splits CSV text into records of fields (RFC 4180): fields separated by `delimiter`, records
 * by LF or CRLF, fields in double quotes may hold delimiters, quotes (doubled) and line breaks.
 * A final line break ends the last record rather than starting an empty one; a UTF-8 byte
 * order mark is dropped.
 * @throws InvalidInputError('table') for a quote left open or text after a closing quote
 */
export function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (atFieldStart && c === '"') {
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new InvalidInputError('table', `has a quoted field opened on line ${start} and never closed`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === '\n') line++;
        field += text[i++];
      }
      if (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r')
        throw new InvalidInputError('table', `has text after a closing quote on line ${line}`);
      atFieldStart = false;
    } else if (c === delimiter) {
      record.push(field);
      field = '';
      atFieldStart = true;
      i++;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      atFieldStart = true;
      i += c === '\r' ? 2 : 1;
      line++;
    } else {
      field += c;
      atFieldStart = false;
      i++;
    }
  }
  if (!atFieldStart || field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** One CSV record: fields quoted only when they hold the delimiter, a quote or a line break. */
export function formatCsvRecord(fields: readonly string[], delimiter: string): string {
  return fields.map((field) => (field.includes(delimiter) || /["\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(delimiter);
}
