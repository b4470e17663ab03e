import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { splitLines, type Line } from '../../../services/ingest/split-lines.ts';

const test = suite('splitting lines');

async function split(chunks: string[], max = 10): Promise<(string | 'TOO LONG')[]> {
  const out: (string | 'TOO LONG')[] = [];
  const numbers: number[] = [];
  for await (const line of splitLines((async function* () { for (const c of chunks) yield Buffer.from(c); })(), max)) {
    numbers.push(line.number);
    out.push('tooLong' in line ? 'TOO LONG' : (line as Extract<Line, { bytes: Buffer }>).bytes.toString());
  }
  assert.equal(numbers, out.map((_, i) => i + 1), 'numbered from 1 in order');
  return out;
}

test('lines across chunk boundaries, CRLF, empty lines, a last line without newline', async () => {
  assert.equal(await split(['a\nb', 'c\r\n\nd']), ['a', 'bc', '', 'd']);
  assert.equal(await split(['a\n']), ['a'], 'a trailing newline makes no empty last line');
  assert.equal(await split([]), []);
  assert.equal(await split(['', '\n', '']), ['']);
});

test('a line over the limit is reported once and skipped to its newline; the next lines are fine', async () => {
  assert.equal(await split(['0123456789\n01234567890\nok\n']), ['0123456789', 'TOO LONG', 'ok']);
  assert.equal(await split(['0123456789\r\n']), ['0123456789'], 'the CR does not count');
  assert.equal(await split(['01234', '56789', '0123', '\nx']), ['TOO LONG', 'x']);
  assert.equal(await split(['x'.repeat(25)]), ['TOO LONG']);
});

test('memory stays bounded: a huge line is not collected', async () => {
  let biggest = 0;
  // One chunk buffer sent again and again: whatever memory grows is the splitter's.
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  async function* huge() {
    for (let i = 0; i < 1000; i++) yield chunk;
    yield Buffer.from('\n{"ok":1}\n');
  }
  const before = process.memoryUsage().arrayBuffers;
  const lines: Line[] = [];
  for await (const line of splitLines(huge(), 1024)) {
    lines.push(line);
    biggest = Math.max(biggest, process.memoryUsage().arrayBuffers - before);
  }
  assert.equal(lines.map((l) => ('tooLong' in l ? 'TOO LONG' : l.bytes.toString())), ['TOO LONG', '{"ok":1}']);
  assert.ok(biggest < 4 * 1024 * 1024, `held ${biggest} bytes for a 64 MB line`);
});

test.run();
