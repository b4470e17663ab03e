import { cp, copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../core/labels/annotation.ts';
import { directorySource } from '../../formats/directory-source.ts';
import { labelStudioFormat } from '../../formats/label-studio/label-studio-format.ts';
import { mediaCandidates } from '../../formats/label-studio/ls-media.ts';
import { percentOf, pixelsOf } from '../../formats/label-studio/ls-percent.ts';
import { SHARED_DATA, assertRoundTrip, readFiles, removeDir, tempDir, text, writeAll } from './format-fixtures.ts';

const test = suite('label-studio format');
const FIXTURE = fileURLToPath(new URL('../fixtures/formats/label-studio/', import.meta.url));
const RACCOONS = join(SHARED_DATA, 'images/raccoon_voc_subset/images');
const imported = { type: 'import', format: 'label-studio' } as const;
const read = (root: string) => labelStudioFormat.read(directorySource(root), {});
let dir: string;

test.before(async () => {
  // The hand-written export beside the media it names: three raccoon photos, a review, a series.
  dir = await tempDir();
  await cp(FIXTURE, dir, { recursive: true });
  await mkdir(join(dir, 'images'));
  for (const n of [1, 2, 3]) await copyFile(join(RACCOONS, `raccoon-${n}.jpg`), join(dir, 'images', `raccoon-${n}.jpg`));
});
test.after(async () => {
  await removeDir(dir);
});


const near = (actual: readonly number[], expected: readonly number[]) =>
  assert.ok(actual.length === expected.length && actual.every((value, i) => Math.abs(value - expected[i]!) < 1e-9), `${actual} ≈ ${expected}`);

test('reads rectangles, polygons, keypoints, choices, text spans and time series ranges from an export', async () => {
  const result = await read(dir);
  assert.equal(result.errors, []);
  assert.equal(result.items.map((item) => item.path), ['images/raccoon-1.jpg', 'images/raccoon-2.jpg', 'series/sensor-1.csv', 'texts/review-1.txt'], 'the task without annotations is not labeled yet');
  assert.equal(result.classes, ['Positive', 'Reset', 'Spike', 'Topic', 'nose', 'outdoor', 'raccoon', 'tree']);
  const [first, second, series, review] = result.items;

  assert.equal(first!.meta, { width: 650, height: 417 });
  const [box, polygon, keypoint, choice] = first!.annotations as [Extract<Annotation, { kind: 'box' }>, Extract<Annotation, { kind: 'polygon' }>, Extract<Annotation, { kind: 'keypoints' }>, Annotation];
  assert.equal([box.id, box.kind, box.label, box.source, box.attributes], ['a1', 'box', 'raccoon', imported, { fromName: 'label', toName: 'image' }]);
  assert.equal(box.box, [81, 88, 441, 320], 'whole pixels come out whole');
  assert.equal([polygon.kind, polygon.label, polygon.attributes], ['polygon', 'tree', { fromName: 'polygon', toName: 'image' }]);
  near(polygon.points.flat(), [130, 125.1, 295.75, 130.3125, 260, 291.9, 118.3, 277.722]);
  assert.equal([keypoint.kind, keypoint.label, keypoint.attributes], ['keypoints', 'nose', { width: 0.6153846153846154, fromName: 'kp', toName: 'image' }]);
  near(keypoint.points[0]!, [200, 150, 2]);
  assert.equal(choice, { id: 'a4', kind: 'class', label: 'outdoor', source: imported, attributes: { fromName: 'scene', toName: 'image' } });

  assert.is(second!.media, 'images/raccoon-2.jpg', 'an upload URL finds the file without its prefix');
  const rotated = second!.annotations[0] as Extract<Annotation, { kind: 'box' }>;
  assert.equal(rotated.attributes, { rotation: 12.5, fromName: 'label', toName: 'image' }, 'the cancelled annotation is passed over');
  near(rotated.box, [60, 51, 402, 448]);

  assert.equal(series!.meta, {});
  assert.equal(series!.annotations, [
    { id: 'a1', kind: 'range', label: 'Spike', start: 2, end: 3, source: imported, attributes: { fromName: 'label', toName: 'ts' } },
    { id: 'a2', kind: 'range', label: 'Reset', start: 5, end: 5, source: imported, attributes: { instant: true, fromName: 'label', toName: 'ts' } },
  ]);
  assert.equal(review!.annotations, [
    { id: 'a1', kind: 'span', label: 'Topic', start: 4, end: 12, source: imported, attributes: { text: 'delivery', fromName: 'label', toName: 'text' } },
    { id: 'a2', kind: 'span', label: 'Positive', start: 46, end: 54, source: imported, attributes: { text: 'friendly', fromName: 'label', toName: 'text' } },
    { id: 'a3', kind: 'class', label: 'Positive', source: imported, attributes: { fromName: 'sentiment', toName: 'text' } },
  ]);
});

test('read → write → read gives the same items', async () => {
  const { sink } = await assertRoundTrip(labelStudioFormat, dir);
  const tasks = JSON.parse(text(sink, 'tasks.json'));
  assert.equal(tasks.map((task: { data: object }) => task.data), [
    { image: 'images/raccoon-1.jpg' },
    { image: 'images/raccoon-2.jpg' },
    { timeseries: 'series/sensor-1.csv' },
    { text: 'texts/review-1.txt' },
  ]);
  const rectangle = tasks[0].annotations[0].result[0];
  assert.equal(rectangle.type, 'rectanglelabels');
  assert.equal([rectangle.original_width, rectangle.original_height, rectangle.from_name, rectangle.to_name], [650, 417, 'label', 'image']);
  assert.equal(rectangle.value.rectanglelabels, ['raccoon']);
  near([rectangle.value.x, rectangle.value.y, rectangle.value.width, rectangle.value.height], [12.461538461538462, 21.103117505995204, 67.84615384615384, 76.73860911270984]);
  assert.equal(sink.media.size, 4);
});

test('percent ↔ pixels: a written percent reads back as exactly the same pixels', () => {
  for (const size of [417, 573, 650, 800, 1920, 3]) {
    for (const pixels of [0, 1, 81, 88.5, 100.25, 123.456789, 1 / 3, size]) {
      const percent = percentOf(pixels, size);
      assert.is(pixelsOf(percent, size), Number(pixels.toPrecision(12)), `${pixels} px of ${size}`);
    }
    // Pixels read from any percent are written back to a percent giving the same pixels.
    let seed = size;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 16807) % 2147483647;
      const pixels = pixelsOf((seed / 2147483647) * 100, size);
      assert.is(pixelsOf(percentOf(pixels, size), size), pixels, `${pixels} px of ${size}`);
    }
  }
  assert.ok(Math.abs(percentOf(81, 650) - 12.461538461538462) < 1e-9);
  assert.is(percentOf(325, 650), 50, 'the shortest decimal is chosen');
});

test('media references: local files, uploads, URLs and plain paths; unsafe ones are never looked at', () => {
  assert.equal(mediaCandidates('/data/local-files/?d=images%2Fa%20b.jpg'), ['images/a b.jpg', 'a b.jpg']);
  assert.equal(mediaCandidates('/data/upload/7/0123abcd-photo.png'), ['0123abcd-photo.png', 'photo.png', 'images/photo.png']);
  assert.equal(mediaCandidates('s3://bucket/train/x.jpg'), ['train/x.jpg', 'x.jpg', 'images/x.jpg']);
  assert.equal(mediaCandidates('https://example.com/data/x.jpg?token=1'), ['data/x.jpg', 'x.jpg', 'images/x.jpg']);
  assert.equal(mediaCandidates('/data/local-files/?d=../../etc/passwd'), ['passwd', 'images/passwd']);
  assert.equal(mediaCandidates('/etc/passwd'), ['passwd', 'images/passwd']);
});

test('malformed JSON, missing media, unsupported results, geometry outside the image and duplicates are all reported', async () => {
  const image = { original_width: 100, original_height: 50 };
  const task = (id: number, media: string, result: unknown[]) => ({ id, data: { image: media }, annotations: [{ id, result, was_cancelled: false }] });
  const result = await readFiles(labelStudioFormat, {
    'a.jpg': new Uint8Array([1]),
    'broken.json': '[\n  {"id": 1,\n   "data": }\n]',
    'export.json': JSON.stringify([
      task(1, 'a.jpg', [
        { type: 'rectanglelabels', from_name: 'label', to_name: 'image', ...image, value: { x: 90, y: 10, width: 20, height: 10, rotation: 0, rectanglelabels: ['car'] } },
        { type: 'brushlabels', from_name: 'brush', to_name: 'image', ...image, value: { format: 'rle', rle: [1, 2], brushlabels: ['car'] } },
        { type: 'polygonlabels', ...image, value: { points: [[0, 0], [150, 0], [0, 10]], polygonlabels: ['car'] } },
        { type: 'choices', value: { choices: [] } },
      ]),
      task(2, '/data/local-files/?d=missing.jpg', []),
      task(3, 'a.jpg', []),
      { id: 4, data: { other: 'x' }, annotations: [] },
    ]),
    'settings.json': '{"title": "not an export"}',
  });
  assert.equal(result.errors, [
    { file: 'broken.json', line: 3, message: "malformed JSON at line 3, column 12: Unexpected token '}'" },
    { file: 'export.json', entry: 'task id=1 result[0]', message: 'box [90, 5, 20, 5] is outside the 100×50 image' },
    { file: 'export.json', entry: 'task id=1 result[1]', message: 'result type brushlabels is not supported (supported: rectanglelabels, polygonlabels, keypointlabels, choices, labels, timeserieslabels)' },
    { file: 'export.json', entry: 'task id=1 result[2]', message: 'polygon point (150, 0) is outside the 100×50 image' },
    { file: 'export.json', entry: 'task id=1 result[3]', message: 'choices result has no choices list of names' },
    { file: 'export.json', entry: 'task id=2', message: 'media /data/local-files/?d=missing.jpg is missing (looked for missing.jpg, images/missing.jpg)' },
    { file: 'export.json', entry: 'task id=3', message: 'a.jpg is the media of two tasks (the other is task id=1)' },
    { file: 'export.json', entry: 'task id=4', message: 'task names no media (data.image, data.text, data.audio, data.video, data.timeseries, data.ts, data.csv, data.url)' },
    { file: 'settings.json', message: 'is not a Label Studio export: expects a list of tasks' },
  ]);
});

test('the writer needs the image size for geometry, and counts masks it cannot write', async () => {
  const mask: Annotation = { id: 'm', kind: 'mask', label: 'car', rle: { size: [2, 2], counts: [0, 4] } };
  const { sink } = await writeAll(labelStudioFormat, { items: [{ path: 'a.jpg', media: null, meta: { width: 2, height: 2 }, annotations: [mask] }], classes: ['car'] }, { includeMedia: false });
  assert.equal(JSON.parse(text(sink, 'tasks.json')), [{ id: 1, data: { image: 'a.jpg' }, annotations: [{ id: 1, result: [] }] }]);
  try {
    await writeAll(labelStudioFormat, { items: [{ path: 'b.jpg', media: null, meta: {}, annotations: [{ id: 'x', kind: 'box', label: 'car', box: [0, 0, 1, 1] }] }], classes: ['car'] });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'INVALID_INPUT');
  }
});

test.run();
