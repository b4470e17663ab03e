/** A numeric CSV read as series over a shared x axis. */
export interface ParsedSeries {
  /** The name of the x column, or `index` when x is the row number. */
  readonly xName: string;
  /** True when the CSV has one column: x is then the row index (0, 1, 2…). */
  readonly xIsIndex: boolean;
  /** x of each row, never decreasing. */
  readonly x: Float64Array;
  /** One per value column, in column order; empty or `NaN` cells are gaps (NaN). */
  readonly series: readonly { readonly name: string; readonly values: Float64Array }[];
}

/** A CSV that cannot be plotted; `line` and `column` are 1-based, as an editor shows them. */
export class SeriesCsvError extends Error {
  override readonly name = 'SeriesCsvError';
  readonly code = 'INVALID_CSV';
  constructor(
    message: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(line === null ? message : `line ${line}${column === null ? '' : `, column ${column}`}: ${message}`);
  }
}

/**
 * Parses a numeric CSV (RFC 4180 quoting, comma-separated, or tab-separated when the first
 * line has tabs and no commas). A first row that is not all numbers is the header. With two or
 * more columns the first is x — a number per row, never decreasing — and the others are series;
 * with one column that column is the series and x is the row index. Empty lines are ignored.
 * @throws SeriesCsvError naming the line (and column) of the first problem: no data rows, a
 *   row with another number of fields than the first, a cell that is not a number, x going
 *   back, or an unterminated quote.
 */
export function parseSeriesCsv(csv: string): ParsedSeries {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: { line: number; fields: string[] }[] = [];
  lines.forEach((text, i) => {
    if (text.trim() !== '') rows.push({ line: i + 1, fields: splitFields(text, delimiter, i + 1) });
  });
  if (rows.length === 0) throw new SeriesCsvError('the CSV is empty');

  const width = rows[0]!.fields.length;
  const hasHeader = rows[0]!.fields.some((f) => f.trim() !== '' && !isNumber(f));
  const header = hasHeader ? rows[0]!.fields.map((f) => f.trim()) : null;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new SeriesCsvError('the CSV has a header but no data rows');

  const xIsIndex = width === 1;
  const valueColumns = xIsIndex ? [0] : Array.from({ length: width - 1 }, (_, i) => i + 1);
  const x = new Float64Array(data.length);
  const values = valueColumns.map(() => new Float64Array(data.length));
  data.forEach((row, r) => {
    if (row.fields.length !== width) {
      throw new SeriesCsvError(`expected ${width} fields like the first row, found ${row.fields.length}`, row.line);
    }
    if (xIsIndex) x[r] = r;
    else {
      const cell = row.fields[0]!;
      if (!isNumber(cell)) throw new SeriesCsvError(`x must be a number, found "${cell.trim()}"`, row.line, 1);
      x[r] = Number(cell);
      if (r > 0 && x[r]! < x[r - 1]!) throw new SeriesCsvError(`x goes back from ${x[r - 1]} to ${x[r]}; rows must be in x order`, row.line, 1);
    }
    valueColumns.forEach((column, s) => {
      const cell = row.fields[column]!.trim();
      if (cell === '' || /^nan$/i.test(cell)) values[s]![r] = Number.NaN;
      else if (isNumber(cell)) values[s]![r] = Number(cell);
      else throw new SeriesCsvError(`not a number: "${cell}"`, row.line, column + 1);
    });
  });

  return {
    xName: xIsIndex ? 'index' : header?.[0] || 'x',
    xIsIndex,
    x,
    series: valueColumns.map((column, s) => ({ name: header?.[column] || `series ${s + 1}`, values: values[s]! })),
  };
}

function isNumber(text: string): boolean {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t));
}

/** Splits one line into fields; quoted fields may hold the delimiter and doubled quotes. */
function splitFields(text: string, delimiter: string, line: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new SeriesCsvError('a quoted field is not closed', line);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      fields.push(value);
      const next = text.indexOf(delimiter, i);
      if (next === -1) return fields;
      i = next + 1;
    } else {
      const next = text.indexOf(delimiter, i);
      if (next === -1) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, next));
      i = next + 1;
    }
  }
}
