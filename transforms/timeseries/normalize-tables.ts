import { z } from 'zod';
import { canonicalJson, type JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { DatasetTransform, TransformInput, TransformRejection } from '../../core/transforms/transform.ts';
import { list, oneOf, parseParams, text } from '../params.ts';
import { ColumnStatistics } from './column-statistics.ts';
import { readTable, tableKind, type Table } from './table.ts';

const DELIMITERS = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const;

const schema = z.strictObject({
  /** The columns to normalize; by default every column holding only numbers (and blanks). */
  columns: list(text(256), 1000).optional(),
  /** Columns left as they are (timestamps, ids). */
  exclude: list(text(256), 1000).default([]),
  /** The field separator of `.csv` items (`.tsv` items are always tab-separated). */
  delimiter: oneOf(['comma', 'semicolon', 'tab', 'pipe']).default('comma'),
});

export type TableNormalizationParams = z.output<typeof schema>;

/** One way to rescale a column: its fitted statistics, and how they map a value. */
export interface Scaler {
  /** The statistics kept for a column (JSON: they go into meta and the `_stats` item). */
  fit(column: ColumnStatistics): JsonObject & { readonly scale: number };
  apply(stats: JsonObject, value: number): number;
}

/**
 * A dataset transform that fits per-column statistics over every table in the snapshot, then
 * rewrites each table with its numbers rescaled. Tables are `.csv` (header row), `.tsv` and
 * `.ndjson`/`.jsonl` items (see table.ts); other items are kept as they are.
 *
 * Pass 1 reads every table and accumulates each column's count, min, max, mean and standard
 * deviation over all its numbers (blanks and nulls skipped). Without `columns`, a column is
 * normalized when every non-blank cell of it, in every table, is a number; with `columns`, a
 * table holding anything else than a number in one of them is rejected and left out of the
 * statistics, and a named column found in no table fails the run (a typo would otherwise do
 * nothing). A column with no numbers at all is left as it is.
 *
 * Pass 2 writes each table at its path with the chosen columns rescaled (other cells keep
 * their text; CSV quoting becomes minimal and lines end in LF), with
 * `meta.normalization = { transform, columns: { <name>: <statistics> } }`, and adds the item
 * `_stats/<transform name>.json` holding the same statistics (replacing one from an earlier
 * run), so serving can apply the very same scaling.
 */
export function tableNormalization(spec: { name: string; description: string; scaler: Scaler }): DatasetTransform<TableNormalizationParams> {
  const { name, scaler } = spec;
  const statsPath = `_stats/${name}.json`;

  /** The input's table, or the reason it is rejected. */
  async function tableOf(input: TransformInput, params: TableNormalizationParams): Promise<Table | TransformRejection> {
    const kind = tableKind(input.path)!;
    let table: Table;
    try {
      table = readTable(kind, await input.bytes(), DELIMITERS[params.delimiter]);
    } catch (error) {
      if (error instanceof InvalidInputError && error.data.field === 'table') return { rejected: `table ${error.data.reason}`, path: input.path };
      throw error;
    }
    for (const column of params.columns ?? []) {
      const row = table.cells(column).findIndex((cell) => cell !== null && typeof cell === 'object');
      if (row >= 0) return { rejected: `column "${column}" holds a value that is not a number (record ${row + 1})`, path: input.path };
    }
    return table;
  }

  return {
    kind: 'dataset',
    name,
    version: '1',
    description: spec.description,
    parseParams: (raw) => parseParams(name, schema, raw),
    async *apply(inputs, params, context) {
      const excluded = new Set(params.exclude);
      const statistics = new Map<string, ColumnStatistics>();
      const textual = new Set<string>();
      for await (const input of inputs()) {
        context.signal.throwIfAborted();
        if (input.path === statsPath || !tableKind(input.path)) continue;
        const table = await tableOf(input, params);
        if ('rejected' in table) continue;
        for (const column of params.columns ?? table.columns) {
          if (excluded.has(column) || !table.columns.includes(column)) continue;
          let stats = statistics.get(column);
          if (!stats) statistics.set(column, (stats = new ColumnStatistics()));
          for (const cell of table.cells(column)) {
            if (typeof cell === 'number') stats.add(cell);
            else if (cell !== null) textual.add(column);
          }
        }
      }
      for (const column of params.columns ?? [])
        if (!excluded.has(column) && !statistics.has(column)) throw new InvalidInputError('columns', `"${column}" is a column of no table`);
      const fitted: Record<string, JsonObject> = {};
      for (const [column, stats] of [...statistics].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        if (stats.count > 0 && !textual.has(column)) fitted[column] = scaler.fit(stats);
      const chosen = new Set(Object.keys(fitted));
      const normalization = { transform: name, columns: fitted };

      for await (const input of inputs()) {
        context.signal.throwIfAborted();
        if (input.path === statsPath) continue;
        if (!tableKind(input.path)) {
          yield { path: input.path, content: { blob: input.blob }, meta: input.meta, annotations: input.annotations };
          continue;
        }
        const table = await tableOf(input, params);
        if ('rejected' in table) {
          yield table;
          continue;
        }
        const content = table.write(chosen, (column, value) => scaler.apply(fitted[column]!, value));
        yield { path: input.path, content, meta: { ...input.meta, normalization }, annotations: input.annotations, mediaType: mediaTypeOf(input.path) };
      }
      const stats = { ...normalization, version: '1' };
      yield { path: statsPath, content: Buffer.from(canonicalJson(stats) + '\n'), meta: {}, annotations: null, mediaType: 'application/json' };
    },
  };
}

function mediaTypeOf(path: string): string {
  const kind = tableKind(path);
  return kind === 'ndjson' ? 'application/x-ndjson' : kind === 'tsv' ? 'text/tab-separated-values' : 'text/csv';
}
