import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidPathError, PathTemplateError } from '../../../core/errors.ts';
import { hashValue, parsePathTemplate, renderPath, seqValue, timestampValue } from '../../../services/ingest/path-template.ts';
import { STREAM_PLACEHOLDERS } from '../../../services/ingest/stream-config.ts';

const test = suite('path templates');
const HASH = 'ab'.repeat(32);

test('renders placeholders in order between literal text', () => {
  const template = parsePathTemplate('{topic}/{timestamp}-{hash:12}.jpg', STREAM_PLACEHOLDERS);
  const at = new Date('2024-05-01T12:30:45.123Z');
  const path = renderPath(template, (p) => (p.name === 'topic' ? 'cams/7/frames' : p.name === 'timestamp' ? timestampValue(at) : hashValue(HASH, p)));
  assert.is(path, 'cams/7/frames/2024-05-01T123045.123Z-abababababab.jpg');
});

test('{hash} is the full hash; {seq} is zero-padded so path order is arrival order', () => {
  const template = parsePathTemplate('x/{seq}-{hash}', STREAM_PLACEHOLDERS);
  const path = renderPath(template, (p) => (p.name === 'seq' ? seqValue(42) : hashValue(HASH, p)));
  assert.is(path, `x/000000000042-${HASH}`);
  assert.ok(seqValue(9) < seqValue(10));
});

test('unknown placeholders, unbalanced braces and bad lengths are refused up front', () => {
  for (const [template, reason] of [
    ['{device}/x', /unknown placeholder \{device\}/],
    ['{topic/x', /"\{" without "\}"/],
    ['topic}/x', /"\}" without "\{"/],
    ['{hash:4}', /from 8 to 64/],
    ['{seq:12}', /only \{hash:N\}/],
    ['{}', /unknown placeholder/],
    ['', /is empty/],
  ] as const) {
    assert.throws(() => parsePathTemplate(template, STREAM_PLACEHOLDERS), (e: unknown) => e instanceof PathTemplateError && e.code === 'INVALID_PATH_TEMPLATE' && reason.test((e as Error).message), template);
  }
});

test('a template that can never give a valid path is refused; one that gives a bad path for a message throws InvalidPathError', () => {
  for (const template of ['/{topic}', '{topic}/../x', '{topic}//x', '{topic}/'])
    assert.throws(() => parsePathTemplate(template, STREAM_PLACEHOLDERS), (e: unknown) => e instanceof PathTemplateError && /gives no valid path/.test((e as Error).message), template);
  const template = parsePathTemplate('{topic}/{hash:8}', STREAM_PLACEHOLDERS);
  assert.throws(() => renderPath(template, (p) => (p.name === 'topic' ? 'a//b' : HASH)), (e: unknown) => e instanceof InvalidPathError);
  assert.throws(() => renderPath(template, (p) => (p.name === 'topic' ? '../etc' : HASH)), (e: unknown) => e instanceof InvalidPathError);
});

test('record fields are placeholders where the set allows them', () => {
  const set = { has: (n: string) => n === 'seq' || n.startsWith('record.'), sample: () => 'v' };
  const template = parsePathTemplate('{record.device.id}/{seq}.json', set);
  assert.equal(template.parts, [{ name: 'record.device.id' }, '/', { name: 'seq' }, '.json']);
  assert.throws(() => parsePathTemplate('{topic}', set), (e: unknown) => e instanceof PathTemplateError);
});

test.run();
