import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSeriesCsv, SeriesCsvError } from '../../../labeling-ui/src/series/parse-series-csv.ts';

const test = suite('series CSV parsing');

test('a series CSV: header, x column, gaps, and the line of each problem', () => {
  const parsed = parseSeriesCsv('t,a,b\n0,1,\n0.5,2,3\n1,NaN,4\n');
  assert.is(parsed.xName, 't');
  assert.equal([...parsed.x], [0, 0.5, 1]);
  assert.equal(parsed.series.map((s) => s.name), ['a', 'b']);
  assert.ok(Number.isNaN(parsed.series[1]!.values[0]!) && Number.isNaN(parsed.series[0]!.values[2]!));
  const single = parseSeriesCsv('3\n1\n4\n');
  assert.ok(single.xIsIndex);
  assert.equal([...single.x], [0, 1, 2]);
  assert.equal([...single.series[0]!.values], [3, 1, 4]);
  const quoted = parseSeriesCsv('"time, s","temp ""C"""\n1,2\n');
  assert.equal([quoted.xName, quoted.series[0]!.name], ['time, s', 'temp "C"']);
  const problems: [string, RegExp][] = [
    ['', /empty/],
    ['x,y\n', /no data rows/],
    ['x,y\n1,2\n2\n', /^line 3: expected 2 fields/],
    ['x,y\n1,2\n2,oops\n', /^line 3, column 2: not a number: "oops"/],
    ['x,y\n1,2\nlater,3\n', /^line 3, column 1: x must be a number/],
    ['x,y\n2,2\n1,3\n', /^line 3, column 1: x goes back/],
    ['x,y\n1,"2\n', /^line 2: a quoted field is not closed/],
  ];
  for (const [csv, message] of problems) {
    try {
      parseSeriesCsv(csv);
      assert.unreachable(`accepted ${JSON.stringify(csv)}`);
    } catch (error) {
      assert.instance(error, SeriesCsvError);
      assert.is((error as SeriesCsvError).code, 'INVALID_CSV');
      assert.match((error as Error).message, message);
    }
  }
});

test.run();
