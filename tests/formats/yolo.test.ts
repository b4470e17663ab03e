import { join } from 'node:path';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../core/labels/annotation.ts';
import { directorySource } from '../../formats/directory-source.ts';
import type { FormatItem } from '../../formats/format.ts';
import { labelFormat } from '../../formats/registry.ts';
import { yoloFormat } from '../../formats/yolo/yolo-format.ts';
import { SHARED_DATA, assertRoundTrip, cleanupSuite, readErrors, readFiles, tempDir, writeAll, writeAndRead, type Files } from './format-fixtures.ts';

const data = (path: string) => join(SHARED_DATA, 'formats/yolo', path);

/** Dataset files: text, or a blank image of `{ width, height }`. */
type DatasetFiles = Record<string, string | { width: number; height: number }>;

/** The files with each blank image made a PNG. */
async function withImages(files: DatasetFiles): Promise<Files> {
  const out: Record<string, string | Uint8Array> = {};
  for (const [path, content] of Object.entries(files)) {
    out[path] = typeof content === 'string' ? content : await sharp({ create: { ...content, channels: 3, background: '#808080' } }).png().toBuffer();
  }
  return out;
}

/** Builds a dataset directory (removed by the cleanup suite) from files and blank images. */
const dataset = async (files: DatasetFiles) => tempDir(await withImages(files));

const LABELS = Array.from({ length: 10 }, (_, i) => `label_${i}`);
const source = { type: 'import', format: 'yolo' } as const;
// The two boxes of the Datumaro samples on their 15 × 10 image, by hand:
// `2 0.133333 0.3 0.266667 0.2` → x = (0.133333 − 0.1333335)·15 ≈ 0, y = (0.3 − 0.1)·10 = 2, w = 4, h = 2;
// `4 0.266667 0.45 0.133333 0.3` → x = 3, y = 3, w = 2, h = 3.
const SAMPLE_BOXES: Annotation[] = [
  { id: 'a1', kind: 'box', label: 'label_2', box: [0, 2, 4, 2], source: { type: 'import', format: 'yolo' } },
  { id: 'a2', kind: 'box', label: 'label_4', box: [3, 3, 2, 3], source: { type: 'import', format: 'yolo' } },
];

// ---------------------------------------------------------------------------------------------
const real = suite('YOLO: the real sample datasets');

real('Darknet obj.data + train.txt + obj_train_data/: one image, two boxes, ten classes', async () => {
  const result = await yoloFormat.read(directorySource(data('darknet/strict')), {});
  assert.equal(result.errors, []);
  assert.equal(result.classes, LABELS);
  assert.equal(result.items, [
    { path: 'obj_train_data/1.jpg', media: 'obj_train_data/1.jpg', meta: { width: 15, height: 10, split: 'train' }, annotations: SAMPLE_BOXES },
  ]);
});

real('Darknet images/<subset> + labels/<subset> + obj.names: train and val, README.txt ignored', async () => {
  const result = await yoloFormat.read(directorySource(data('darknet/labels')), {});
  assert.equal(result.errors, []);
  assert.equal(result.classes, LABELS);
  assert.equal(
    result.items.map((item) => [item.path, item.meta.split, item.annotations.length]),
    [
      ['images/train/1.jpg', 'train', 2],
      ['images/val/1.jpg', 'val', 2],
    ],
  );
  assert.equal(result.items[1]!.annotations, SAMPLE_BOXES);
});

real('Ultralytics detection: names as a mapping and as a list give the same classes and boxes', async () => {
  for (const name of ['ultralytics/yolov8', 'ultralytics/yolov8_with_list_of_names']) {
    const result = await yoloFormat.read(directorySource(data(name)), {});
    assert.equal(result.errors, [], name);
    assert.equal(result.classes, LABELS, name);
    assert.equal(result.items, [
      { path: 'images/train/1.jpg', media: 'images/train/1.jpg', meta: { width: 15, height: 10, split: 'train' }, annotations: SAMPLE_BOXES },
    ]);
  }
});

real('Ultralytics segmentation: polygon lines in pixels', async () => {
  const result = await yoloFormat.read(directorySource(data('ultralytics/yolov8_segmentation')), {});
  assert.equal(result.errors, []);
  assert.equal(result.items[0]!.annotations, [
    // 0.1·15 = 1.5, 0.1·10 = 1, 0.4·15 = 6, 0.5·10 = 5
    { id: 'a1', kind: 'polygon', label: 'label_2', points: [[1.5, 1], [6, 1], [6, 5]], source },
    { id: 'a2', kind: 'polygon', label: 'label_4', points: [[3, 1.5], [6, 1.5], [6, 7.5], [4.5, 7.5], [3.75, 3]], source },
  ]);
});

real('Ultralytics oriented boxes: 8 values → a polygon marked obb; a 0.1 px overshoot is kept', async () => {
  const result = await yoloFormat.read(directorySource(data('ultralytics/yolov8_oriented_boxes')), {});
  assert.equal(result.errors, []);
  assert.equal(result.items[0]!.annotations, [
    // 0.146731·15 = 2.200965 → 2.2; 0.151795·10 = 1.51795 → 1.52 …
    { id: 'a1', kind: 'polygon', label: 'label_2', points: [[2.2, 1.52], [4.8, 3.02], [2.8, 6.48], [0.2, 4.98]], source, attributes: { obb: true } },
    // … and −0.009808·10 = −0.098 → −0.1, less than the half pixel an edge may be overshot.
    { id: 'a2', kind: 'polygon', label: 'label_4', points: [[8.37, 0.9], [5.37, 6.1], [3.63, 5.1], [6.63, -0.1]], source, attributes: { obb: true } },
  ]);
});

real('Ultralytics pose: kpt_shape [3, 3] gives keypoints with visibility and their box', async () => {
  const result = await yoloFormat.read(directorySource(data('ultralytics/yolov8_pose')), {});
  assert.equal(result.errors, []);
  assert.equal(result.classes, ['skeleton_label']);
  assert.equal(result.items[0]!.annotations, [
    { id: 'a1', kind: 'keypoints', label: 'skeleton_label', points: [[1.5, 2, 2], [4.5, 4, 2], [7.5, 6, 2]], box: [0, 2, 4, 2], source },
  ]);
});

real('Roboflow <split>/images + <split>/labels, data.yaml pointing at ../train/images', async () => {
  const result = await yoloFormat.read(directorySource(data('roboflow_yolo')), {});
  assert.equal(result.errors, []);
  assert.equal(result.classes, ['label_0', 'label_1']);
  assert.equal(
    result.items.map((item) => [item.path, item.meta, item.annotations.map((a) => [a.label, a.kind === 'box' && a.box])]),
    [
      // `0 0.35 0.3 0.3 0.2` on 10 × 5: x = 2, y = 1, w = 3, h = 1.
      ['train/images/train_001.jpg', { width: 10, height: 5, split: 'train' }, [['label_0', [2, 1, 3, 1]]]],
      ['train/images/train_002.jpg', { width: 10, height: 5, split: 'train' }, [['label_1', [0, 0, 2, 4]]]],
      ['val/images/val_001.jpg', { width: 10, height: 5, split: 'val' }, [['label_0', [0, 0, 1, 2]], ['label_1', [0, 0, 9, 1]]]],
    ],
  );
});

real('the registry knows the format by name', () => {
  assert.is(labelFormat('yolo'), yoloFormat);
});

// ---------------------------------------------------------------------------------------------
const roundTrip = suite('YOLO: read → write → read');

for (const name of ['darknet/labels', 'ultralytics/yolov8', 'ultralytics/yolov8_with_list_of_names', 'ultralytics/yolov8_segmentation', 'ultralytics/yolov8_oriented_boxes', 'ultralytics/yolov8_pose', 'roboflow_yolo']) {
  roundTrip(`${name} through the Ultralytics layout gives the same items and classes`, async () => {
    const { again, summary } = await assertRoundTrip(yoloFormat, data(name));
    assert.is(summary.items, again.items.length);
    assert.equal(summary.skipped, {});
  });
}

roundTrip('darknet/strict through the Darknet layout gives the same items', async () => {
  const first = await yoloFormat.read(directorySource(data('darknet/strict')), {});
  const { again, sink } = await writeAndRead(yoloFormat, first, data('darknet/strict'), { layout: 'darknet' });
  assert.equal(again.errors, []);
  assert.equal(again.items, first.items);
  assert.ok(sink.files.has('obj.data') && sink.files.has('train.txt') && sink.files.has('obj_train_data/1.txt'));
  assert.is(new TextDecoder().decode(sink.files.get('train.txt')), 'data/obj_train_data/1.jpg\n');
});

roundTrip('fractional pixels survive at every size: 0.01 px up to 5000 px, 0.1 px up to 50 000 px', async () => {
  const sizes = [
    { width: 7, height: 5 },
    { width: 4999, height: 3001 },
    { width: 40_000, height: 16 },
  ];
  const files: Record<string, { width: number; height: number }> = {};
  sizes.forEach((size, i) => (files[`images/train/${i}.png`] = size));
  const dir = await dataset({ ...files, 'data.yaml': 'names: [a, b]\n' });
  const items: FormatItem[] = sizes.map((size, i) => {
    const step = (n: number) => (n <= 5000 ? 100 : 10);
    // Values on the reader's grid (what any read gives), spread over the image.
    const px = (fraction: number, n: number) => Math.round(fraction * n * step(n)) / step(n);
    const annotations: Annotation[] = [];
    for (let k = 0; k < 25; k++) {
      const f = (k * 0.0371 + 0.013) % 0.5;
      annotations.push({ id: `a${2 * k + 1}`, kind: 'box', label: 'a', box: [px(f, size.width), px(f / 2, size.height), px(0.4 - f / 3, size.width), px(0.33, size.height)], source });
      annotations.push({ id: `a${2 * k + 2}`, kind: 'polygon', label: 'b', points: [[px(f, size.width), px(0.9 - f, size.height)], [px(0.7, size.width), px(f, size.height)], [px(0.99, size.width), px(0.5, size.height)]], source });
    }
    return { path: `images/train/${i}.png`, media: `images/train/${i}.png`, meta: { ...size, split: 'train' }, annotations };
  });
  const { again } = await writeAndRead(yoloFormat, { items, classes: ['a', 'b'] }, dir);
  assert.equal(again.errors, []);
  assert.equal(again.items, items);
});

roundTrip('a 4-point polygon that is not an oriented box makes data.yaml say task: segment', async () => {
  const dir = await dataset({ 'images/a.png': { width: 20, height: 10 }, 'data.yaml': 'names: [a]\n' });
  const items: FormatItem[] = [
    { path: 'images/a.png', media: 'images/a.png', meta: { width: 20, height: 10 }, annotations: [{ id: 'a1', kind: 'polygon', label: 'a', points: [[1, 1], [5, 1], [5, 5], [1, 5]], source }] },
  ];
  const { again, sink } = await writeAndRead(yoloFormat, { items, classes: ['a'] }, dir);
  assert.match(new TextDecoder().decode(sink.files.get('data.yaml')), /task: segment/);
  assert.equal(again.items, items);
});

roundTrip('what YOLO cannot hold is counted, not written: classes, spans, unknown classes; Darknet keeps boxes only', async () => {
  const items: FormatItem[] = [
    {
      path: 'images/a.png',
      media: null,
      meta: { width: 20, height: 10 },
      annotations: [
        { id: 'a1', kind: 'class', label: 'a' },
        { id: 'a2', kind: 'box', label: 'a', box: [0, 0, 10, 5] },
        { id: 'a3', kind: 'box', label: 'zebra', box: [0, 0, 10, 5] },
        { id: 'a4', kind: 'polygon', label: 'a', points: [[1, 1], [5, 1], [5, 5]] },
        { id: 'a5', kind: 'span', label: 'a', start: 0, end: 2 },
      ],
    },
  ];
  const { sink, summary } = await writeAll(yoloFormat, { items, classes: ['a'] }, { includeMedia: false });
  assert.equal(summary, { items: 1, annotations: 2, skipped: { class: 1, 'unknown class': 1, span: 1 } });
  assert.is(new TextDecoder().decode(sink.files.get('labels/a.txt')), '0 0.250000 0.250000 0.500000 0.500000\n0 0.050000 0.100000 0.250000 0.100000 0.250000 0.500000\n');
  const { sink: darknet, summary: darknetSummary } = await writeAll(yoloFormat, { items, classes: ['a'] }, { includeMedia: false, layout: 'darknet' });
  assert.equal(darknetSummary.skipped, { class: 1, 'unknown class': 1, polygon: 1, span: 1 });
  assert.is(new TextDecoder().decode(darknet.files.get('obj_train_data/images/a.txt')), '0 0.250000 0.250000 0.500000 0.500000\n');
});

roundTrip('an item with annotations but no image size is refused, not written wrong', async () => {
  const items: FormatItem[] = [{ path: 'images/a.png', media: null, meta: {}, annotations: [{ id: 'a1', kind: 'box', label: 'a', box: [0, 0, 1, 1] }] }];
  try {
    await writeAll(yoloFormat, { items, classes: ['a'] }, { includeMedia: false });
    assert.unreachable('expected an error');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'INVALID_INPUT');
  }
});

// ---------------------------------------------------------------------------------------------
const errors = suite('YOLO: malformed datasets');

/** The errors of reading a malformed dataset with blank images. */
const datasetErrors = async (files: DatasetFiles) => readErrors(yoloFormat, await withImages(files));

const IMAGE = { width: 20, height: 10 };

errors('malformed data.yaml: the YAML error with its line', async () => {
  const found = await datasetErrors({ 'data.yaml': 'path: .\nnames: [a, b\ntrain: images/train\n', 'images/train/a.png': IMAGE });
  assert.is(found[0]!.file, 'data.yaml');
  assert.is(found[0]!.line, 3);
  assert.match(found[0]!.message, /malformed YAML/);
});

errors('data.yaml: names with a gap, nc disagreeing, bad kpt_shape', async () => {
  assert.match((await datasetErrors({ 'data.yaml': 'names:\n  0: a\n  2: c\n', 'images/a.png': IMAGE }))[0]!.message, /no class 1/);
  assert.match((await datasetErrors({ 'data.yaml': 'nc: 3\nnames: [a, b]\n', 'images/a.png': IMAGE }))[0]!.message, /nc is 3/);
  assert.match((await datasetErrors({ 'data.yaml': 'names: [a]\nkpt_shape: [3, 4]\n', 'images/a.png': IMAGE }))[0]!.message, /kpt_shape/);
  assert.match((await datasetErrors({ 'data.yaml': 'names: [a, a]\n', 'images/a.png': IMAGE }))[0]!.message, /ids 0 and 1/);
});

errors('unknown class id, bad numbers, wrong value count and outside coordinates, each with its line', async () => {
  const found = await datasetErrors({
    'data.yaml': 'names: [a, b]\n',
    'images/train/a.png': IMAGE,
    'labels/train/a.txt': ['0 0.5 0.5 0.2 0.2', '7 0.5 0.5 0.2 0.2', '1 0.5 x 0.2 0.2', '1 0.5 0.5 0.2', '0 0.9 0.5 0.4 0.2', '1 0.5 0.5 -0.2 0.2', '-1 0.5 0.5 0.2 0.2'].join('\n'),
  });
  assert.equal(
    found.map((error) => [error.file, error.line]),
    [2, 3, 4, 5, 6, 7].map((line) => ['labels/train/a.txt', line]),
  );
  assert.match(found[0]!.message, /unknown class id 7/);
  assert.match(found[1]!.message, /"x" is not a number/);
  assert.match(found[2]!.message, /got 3/);
  assert.match(found[3]!.message, /outside the image/);
  assert.match(found[4]!.message, /negative/);
  assert.match(found[5]!.message, /not a whole number/);
});

errors('a label file without its image, and an image listed in train.txt but missing', async () => {
  const loose = await datasetErrors({ 'obj.names': 'a\n', 'images/train/a.png': IMAGE, 'labels/train/b.txt': '0 0.5 0.5 0.1 0.1\n' });
  assert.equal(loose.map((error) => error.file), ['labels/train/b.txt']);
  assert.match(loose[0]!.message, /without an image/);
  const strict = await datasetErrors({
    'obj.data': 'classes = 1\ntrain = data/train.txt\nnames = data/obj.names\n',
    'obj.names': 'a\n',
    'train.txt': 'data/obj_train_data/a.png\ndata/obj_train_data/gone.png\n',
    'obj_train_data/a.png': IMAGE,
  });
  assert.equal(strict, [{ file: 'train.txt', line: 2, message: 'image data/obj_train_data/gone.png is listed but not in the import' }]);
});

errors('pose lines must match kpt_shape (other lengths are read as boxes or polygons), visibility must be 0, 1 or 2', async () => {
  const found = await datasetErrors({
    'data.yaml': 'names: [p]\nkpt_shape: [2, 3]\n',
    'images/a.png': IMAGE,
    'labels/a.txt': '0 0.5 0.5 0.2 0.2 0.1 0.1 2 0.2 0.2 5\n0 0.5 0.5 0.2 0.2 0.1 0.1 2 0.2 0.2\n',
  });
  assert.equal(found.map((error) => error.line), [1, 2]);
  assert.match(found[0]!.message, /visibility/);
  assert.match(found[1]!.message, /10 \(pose/);
});

errors('no class names anywhere, and no images at all', async () => {
  assert.match((await datasetErrors({ 'images/a.png': IMAGE }))[0]!.message, /no class names/);
  assert.match((await datasetErrors({ 'obj.names': 'a\n' }))[0]!.message, /no images/);
});

errors("the caller's class list names the ids when the files carry none", async () => {
  const result = await readFiles(yoloFormat, await withImages({ 'images/a.png': IMAGE, 'labels/a.txt': '1 0.5 0.5 0.5 0.5\n' }), { classes: ['cat', 'dog'] });
  assert.equal(result.errors, []);
  assert.equal(result.items[0]!.annotations, [{ id: 'a1', kind: 'box', label: 'dog', box: [5, 2.5, 10, 5], source }]);
});

const cleanup = cleanupSuite('YOLO');

real.run();
roundTrip.run();
errors.run();
cleanup.run();
