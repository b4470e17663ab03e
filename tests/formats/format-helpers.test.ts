import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AlreadyExistsError, InvalidInputError, InvalidPathError } from '../../core/errors.ts';
import { AnnotationIdsByItem, annotationIds } from '../../formats/annotation-ids.ts';
import { boxFromCorners, cornersOfBox } from '../../formats/box-corners.ts';
import { FormatErrorList, MAX_FORMAT_ERRORS } from '../../formats/format-errors.ts';
import { boxProblem, insideImage, pointProblem } from '../../formats/image-bounds.ts';
import { basenameOf, dirnameOf, joinSourcePath, stripExtension } from '../../formats/item-paths.ts';
import { memorySink } from '../../formats/memory-sink.ts';
import { labelFormat, labelFormats } from '../../formats/registry.ts';

const test = suite('format helpers');

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.unreachable('expected a rejection');
}

test('memorySink collects whole and streamed files and media copies, and refuses unsafe or repeated paths', async () => {
  const sink = memorySink();
  await sink.writeFile('a/b.txt', 'héllo');
  const stream = await sink.openFile('big.json');
  await stream.write('[1,');
  assert.is(sink.files.has('big.json'), false, 'a streamed file appears when closed');
  await stream.write('2]');
  await stream.close();
  await sink.copyMedia('images/x.jpg', 'out/x.jpg');
  assert.equal(new TextDecoder().decode(sink.files.get('a/b.txt')), 'héllo');
  assert.equal(new TextDecoder().decode(sink.files.get('big.json')), '[1,2]');
  assert.equal([...sink.media], [['out/x.jpg', 'images/x.jpg']]);
  assert.instance(await rejection(sink.writeFile('../x', 'x')), InvalidPathError);
  assert.instance(await rejection(sink.copyMedia('a', '/abs')), InvalidPathError);
  assert.instance(await rejection(sink.writeFile('a/b.txt', 'again')), AlreadyExistsError);
  assert.instance(await rejection(sink.openFile('out/x.jpg')), AlreadyExistsError);
});

test('the registry names every format once and refuses unknown names with the known ones', () => {
  const names = labelFormats.map((format) => format.name);
  assert.is(new Set(names).size, names.length);
  for (const name of ['coco', 'csv', 'label-studio']) assert.is(labelFormat(name).name, name);
  try {
    labelFormat('pascal');
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.match((error as Error).message, /"pascal" is not a known format \(known: .*coco.*csv.*label-studio/);
  }
});

test('joinSourcePath joins, drops . and empty segments, resolves inner .. and refuses climbing out', () => {
  assert.is(joinSourcePath('images/train', 'a.jpg'), 'images/train/a.jpg');
  assert.is(joinSourcePath('', './x//y.jpg'), 'x/y.jpg');
  assert.is(joinSourcePath('a/b', '../c.jpg'), 'a/c.jpg');
  assert.throws(() => joinSourcePath('a', '../../c.jpg'), (error: unknown) => error instanceof InvalidPathError);
  assert.throws(() => joinSourcePath('/etc', 'passwd'), (error: unknown) => error instanceof InvalidPathError);
  assert.throws(() => joinSourcePath('', 'a\\b.jpg'), (error: unknown) => error instanceof InvalidPathError);
  assert.throws(() => joinSourcePath('', ''), (error: unknown) => error instanceof InvalidPathError);
  assert.equal([dirnameOf('a/b/c.jpg'), dirnameOf('c.jpg'), basenameOf('a/b/c.jpg'), stripExtension('a/b.c.jpg'), stripExtension('a.b/c')], ['a/b', '', 'c.jpg', 'a/b.c', 'a.b/c']);
});

test('annotation ids count per item in order', () => {
  const ids = annotationIds();
  assert.equal([ids.next(), ids.next()], ['a1', 'a2']);
  const byItem = new AnnotationIdsByItem();
  assert.equal([byItem.next('x'), byItem.next('y'), byItem.next('x')], ['a1', 'a1', 'a2']);
});

test('box corners go back and forth without float noise', () => {
  assert.equal(cornersOfBox(boxFromCorners(0.1, 0.2, 0.3, 50.5)), [0.1, 0.2, 0.3, 50.5]);
  assert.equal(cornersOfBox([81, 88, 441, 320]), [81, 88, 522, 408]);
});

test('image bounds allow the edge, refuse beyond it', () => {
  assert.is(boxProblem([0, 0, 100, 50], { width: 100, height: 50 }), null);
  assert.match(boxProblem([0, 0, 100.5, 50], { width: 100, height: 50 })!, /outside the 100×50 image/);
  assert.match(boxProblem([0, 0, -1, 5], null)!, /negative/);
  assert.is(pointProblem(100, 50, { width: 100, height: 50 }), null);
  assert.match(pointProblem(-1, 0, { width: 100, height: 50 })!, /outside/);
  // Less than half a pixel past an edge is rounding (a rotated box's corner at −0.1), half a pixel is not.
  assert.is(pointProblem(-0.1, 50.49, { width: 100, height: 50 }), null);
  assert.is(boxProblem([-0.49, 0, 100.98, 50], { width: 100, height: 50 }), null);
  assert.equal([insideImage(-0.5, 0, 100, 50), insideImage(0, 50.5, 100, 50), insideImage(100.499, -0.499, 100, 50), insideImage(Number.NaN, 0, 100, 50)], [false, false, true, false]);
});

test('the error list keeps the first errors and counts the rest', () => {
  const errors = new FormatErrorList();
  for (let i = 0; i < MAX_FORMAT_ERRORS + 5; i++) errors.add('f.csv', `bad ${i}`, { line: i + 1 });
  const listed = errors.toArray();
  assert.is(listed.length, MAX_FORMAT_ERRORS + 1);
  assert.equal(listed[0], { file: 'f.csv', line: 1, message: 'bad 0' });
  assert.equal(listed.at(-1), { file: 'f.csv', message: '5 more error(s) not listed' });
  assert.is(errors.size, MAX_FORMAT_ERRORS + 5);
  assert.throws(() => errors.addThrown('f', new Error('unexpected')), /unexpected/);
});

test.run();
