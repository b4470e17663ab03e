import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { parseCsv } from '../../../transforms/timeseries/csv.ts';
import { timeseriesMinmax } from '../../../transforms/timeseries/minmax.ts';
import { bytesOf, inputOf, invalidParam, keptBlobOf, runDataset } from '../transform-input.ts';
import { sensorTables } from './table-fixtures.ts';

const test = suite('timeseries.minmax');
const params = timeseriesMinmax.parseParams;
const text = (output: { content: unknown }) => bytesOf(output as never).toString('utf8');

test('fits min and max over all tables and scales every numeric column to [0, 1]', async () => {
  const inputs = sensorTables();
  const { outputs, rejections } = await runDataset(timeseriesMinmax, inputs, params({}));
  assert.equal(rejections, []);
  const byPath = new Map(outputs.map((output) => [output.path, output]));
  assert.equal([...byPath.keys()].sort(), ['_stats/timeseries.minmax.json', 'sensors/a.csv', 'sensors/b.csv', 'sensors/c.ndjson', 'sensors/readme.txt']);
  const h = (x: number) => (x - 0.1) / (0.9 - 0.1);
  assert.is(
    text(byPath.get('sensors/a.csv')!),
    `time,temp,humidity,station\n0,0,${h(0.5)},north\n${1 / 6},0.2,,north\n${2 / 6},0.4,${h(0.7)},"north, hill"\n`,
  );
  // The constant column becomes 0; CRLF becomes LF.
  assert.is(text(byPath.get('sensors/b.csv')!), `time,temp,humidity,station,level\n0.5,0.6,1,south,0\n${4 / 6},0.8,0,south,0\n`);
  // NDJSON: numbers scaled, null and the boolean left alone.
  assert.is(text(byPath.get('sensors/c.ndjson')!), `{"time":${5 / 6},"temp":1,"station":"east","flag":true}\n{"time":1,"temp":null,"station":"east"}\n`);
  assert.is(keptBlobOf(byPath.get('sensors/readme.txt')!), inputs[3]!.blob);

  const columns = {
    humidity: { count: 4, min: 0.1, max: 0.9, scale: 0.9 - 0.1 },
    level: { count: 2, min: 5, max: 5, scale: 1 },
    temp: { count: 6, min: 10, max: 60, scale: 50 },
    time: { count: 7, min: 1, max: 7, scale: 6 },
  };
  const a = byPath.get('sensors/a.csv')!;
  assert.equal(a.meta, { site: 'a', normalization: { transform: 'timeseries.minmax', columns } });
  assert.is(a.mediaType, 'text/csv');
  assert.equal(byPath.get('sensors/c.ndjson')!.annotations, { label: 'calm' });
  const stats = byPath.get('_stats/timeseries.minmax.json')!;
  assert.is(stats.mediaType, 'application/json');
  assert.equal(JSON.parse(text(stats)), { transform: 'timeseries.minmax', version: '1', columns });
});

test('named columns only; a table with text in one is rejected and left out of the fit', async () => {
  const inputs = [...sensorTables(), inputOf('sensors/d.csv', 'time,temp\n8,broken\n9,1000\n')];
  const { outputs, rejections } = await runDataset(timeseriesMinmax, inputs, params({ columns: 'temp' }));
  assert.equal(rejections, [{ rejected: 'column "temp" holds a value that is not a number (record 1)', path: 'sensors/d.csv' }]);
  assert.not.ok(outputs.some((output) => output.path === 'sensors/d.csv'));
  const a = outputs.find((output) => output.path === 'sensors/a.csv')!;
  // The 1000 of the rejected table does not stretch the range; time is untouched.
  assert.equal(parseCsv(text(a), ',').map((row) => row[0] + '|' + row[1]), ['time|temp', '1|0', '2|0.2', '3|0.4']);
  assert.equal(Object.keys((a.meta.normalization as { columns: object }).columns), ['temp']);
});

test('excluded columns are kept; a named column in no table fails the run', async () => {
  const { outputs } = await runDataset(timeseriesMinmax, sensorTables(), params({ exclude: ['time', 'level'] }));
  assert.match(text(outputs.find((output) => output.path === 'sensors/b.csv')!), /^time,temp,humidity,station,level\n4,0.6,1,south,5\n/);
  try {
    await runDataset(timeseriesMinmax, sensorTables(), params({ columns: 'temp,pressure' }));
    assert.unreachable('ran with an unknown column');
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.equal((error as InvalidInputError).data, { field: 'columns', reason: '"pressure" is a column of no table' });
  }
});

test('a column with text anywhere is not normalized by default', async () => {
  const inputs = [inputOf('x.csv', 'id,v\n7,1\nA7,3\n'), inputOf('y.csv', 'id,v\n8,2\n')];
  const { outputs } = await runDataset(timeseriesMinmax, inputs, params({}));
  assert.is(text(outputs[0]!), 'id,v\n7,0\nA7,1\n');
  assert.is(text(outputs[1]!), 'id,v\n8,0.5\n');
});

test('damaged tables are rejected with their path; the others are written', async () => {
  const inputs = [
    inputOf('a.csv', 'x,y\n1,2\n3\n'),
    inputOf('b.ndjson', '{"x":1}\n[1,2]\n'),
    inputOf('c.csv', Buffer.from([0x78, 0x0a, 0xff, 0x0a])),
    inputOf('d.csv', 'x\n1\n2\n'),
  ];
  const { outputs, rejections } = await runDataset(timeseriesMinmax, inputs, params({}));
  assert.equal(rejections, [
    { rejected: 'table row 3 has 1 fields, the header 2', path: 'a.csv' },
    { rejected: 'table line 2 is not a JSON object', path: 'b.ndjson' },
    { rejected: 'table is not valid UTF-8', path: 'c.csv' },
  ]);
  assert.is(text(outputs.find((output) => output.path === 'd.csv')!), 'x\n0\n1\n');
});

test('delimiters: semicolon CSV by parameter, TSV by extension', async () => {
  const inputs = [inputOf('a.csv', 'a;b\n1;10\n3;30\n'), inputOf('b.tsv', 'a\tb\n2\t20\n')];
  const { outputs } = await runDataset(timeseriesMinmax, inputs, params({ delimiter: 'semicolon' }));
  assert.is(text(outputs[0]!), 'a;b\n0;0\n1;1\n');
  assert.is(text(outputs[1]!), 'a\tb\n0.5\t0.5\n');
  assert.is(outputs[1]!.mediaType, 'text/tab-separated-values');
});

test('deterministic; a rerun over its own output replaces the statistics item', async () => {
  const first = await runDataset(timeseriesMinmax, sensorTables(), params({}));
  const second = await runDataset(timeseriesMinmax, sensorTables(), params({}));
  const contents = (run: typeof first) => run.outputs.map((output) => [output.path, output.content instanceof Uint8Array ? Buffer.from(output.content).toString('base64') : output.content]);
  assert.equal(contents(first), contents(second));
  const other = await runDataset(timeseriesMinmax, sensorTables(), params({ exclude: 'time' }));
  assert.not.equal(contents(first), contents(other));

  const again = first.outputs.map((output) => inputOf(output.path, output.content instanceof Uint8Array ? output.content : 'kept', { meta: output.meta }));
  const rerun = await runDataset(timeseriesMinmax, again, params({}));
  assert.is(rerun.outputs.filter((output) => output.path === '_stats/timeseries.minmax.json').length, 1);
});

test('parameters', () => {
  assert.equal(params({}), { exclude: [], delimiter: 'comma' });
  assert.equal(params({ columns: 'a, b', exclude: ['c'] }), { columns: ['a', 'b'], exclude: ['c'], delimiter: 'comma' });
  assert.equal(invalidParam(() => params({ delimiter: ',' })), { field: 'delimiter', reason: 'must be one of comma, semicolon, tab, pipe' });
  assert.is(invalidParam(() => params({ columns: 3 })).field, 'columns');
  assert.is(invalidParam(() => params({ column: 'a' })).field, 'column');
});

test.run();
