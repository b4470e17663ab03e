import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { formatCsvRecord, parseCsv } from '../../../transforms/timeseries/csv.ts';

const test = suite('CSV records');

test('plain, quoted, CRLF, BOM, final line break', () => {
  assert.equal(parseCsv('\ufeffa,b\r\n1,2\n', ','), [
    ['a', 'b'],
    ['1', '2'],
  ]);
  assert.equal(parseCsv('a,"b, ""c""\nd",\n"",x', ','), [
    ['a', 'b, "c"\nd', ''],
    ['', 'x'],
  ]);
  assert.equal(parseCsv('a;b\n1;2', ';'), [
    ['a', 'b'],
    ['1', '2'],
  ]);
  assert.equal(parseCsv('', ','), []);
});

test('broken quoting is refused with its line', () => {
  for (const [text, reason] of [
    ['a,b\n"open,1\n', 'has a quoted field opened on line 2 and never closed'],
    ['a,b\n"x"y,1\n', 'has text after a closing quote on line 2'],
  ]) {
    try {
      parseCsv(text!, ',');
      assert.unreachable(text);
    } catch (error) {
      assert.instance(error, InvalidInputError);
      assert.is((error as InvalidInputError).data.reason, reason);
    }
  }
});

test('records are written back with quotes only where needed, and read back the same', () => {
  const fields = ['plain', 'with,comma', 'with "quote"', 'two\nlines', ''];
  const line = formatCsvRecord(fields, ',');
  assert.is(line, 'plain,"with,comma","with ""quote""","two\nlines",');
  assert.equal(parseCsv(line, ','), [fields]);
});

test.run();
