import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCsv } from '../../../transforms/timeseries/csv.ts';
import { timeseriesStandardize } from '../../../transforms/timeseries/standardize.ts';
import { bytesOf, inputOf, invalidParam, runDataset } from '../transform-input.ts';
import { sensorTables } from './table-fixtures.ts';

const test = suite('timeseries.standardize');
const params = timeseriesStandardize.parseParams;
const text = (output: { content: unknown }) => bytesOf(output as never).toString('utf8');

/** Every number of `column` across the CSV and NDJSON outputs. */
function valuesOf(outputs: { path: string; content: unknown }[], column: string): number[] {
  const values: number[] = [];
  for (const output of outputs) {
    if (output.path.endsWith('.csv')) {
      const [header, ...rows] = parseCsv(text(output), ',');
      const at = header!.indexOf(column);
      if (at >= 0) for (const row of rows) if (row[at] !== '') values.push(Number(row[at]));
    } else if (output.path.endsWith('.ndjson')) {
      for (const line of text(output).trim().split('\n')) {
        const value = (JSON.parse(line) as Record<string, unknown>)[column];
        if (typeof value === 'number') values.push(value);
      }
    }
  }
  return values;
}

test('over all tables each column gets mean 0 and standard deviation 1', async () => {
  const { outputs, rejections } = await runDataset(timeseriesStandardize, sensorTables(), params({}));
  assert.equal(rejections, []);
  for (const [column, count] of [['time', 7], ['temp', 6], ['humidity', 4]] as const) {
    const values = valuesOf(outputs, column);
    assert.is(values.length, count, column);
    const mean = values.reduce((sum, x) => sum + x, 0) / count;
    const std = Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / count);
    assert.ok(Math.abs(mean) < 1e-12, `${column} mean ${mean}`);
    assert.ok(Math.abs(std - 1) < 1e-12, `${column} std ${std}`);
  }
  // temp is 10, 20 … 60: mean 35, population variance 1750 / 6.
  const stats = JSON.parse(text(outputs.find((output) => output.path === '_stats/timeseries.standardize.json')!));
  assert.is(stats.columns.temp.count, 6);
  assert.ok(Math.abs(stats.columns.temp.mean - 35) < 1e-12);
  assert.ok(Math.abs(stats.columns.temp.std - Math.sqrt(1750 / 6)) < 1e-12);
  assert.is(stats.columns.temp.scale, stats.columns.temp.std);
});

test('a constant column becomes 0 (scale 1), not a division by zero', async () => {
  const { outputs } = await runDataset(timeseriesStandardize, sensorTables(), params({}));
  assert.equal(valuesOf(outputs, 'level'), [0, 0]);
  assert.equal((outputs[0]!.meta.normalization as { columns: Record<string, unknown> }).columns.level, { count: 2, mean: 5, std: 0, scale: 1 });
});

test('deterministic; other columns other bytes', async () => {
  const run = async (raw: Record<string, string>) =>
    (await runDataset(timeseriesStandardize, sensorTables(), params(raw))).outputs.map((output) => (output.content instanceof Uint8Array ? text(output) : '(kept)'));
  assert.equal(await run({}), await run({}));
  assert.not.equal(await run({}), await run({ columns: 'temp' }));
});

test('a single table of one row: std 0, every value 0', async () => {
  const { outputs } = await runDataset(timeseriesStandardize, [inputOf('one.csv', 'v\n42\n')], params({}));
  assert.is(text(outputs[0]!), 'v\n0\n');
});

test('parameters', () => {
  assert.is(invalidParam(() => params({ delimiter: 'space' })).field, 'delimiter');
});

test.run();
