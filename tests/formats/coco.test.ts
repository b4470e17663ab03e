import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../core/labels/annotation.ts';
import { cocoFormat } from '../../formats/coco/coco-format.ts';
import { rleArea, rleBox, rleProblem, rleRuns } from '../../formats/coco/coco-rle.ts';
import { directorySource } from '../../formats/directory-source.ts';
import type { FormatItem, ReadResult } from '../../formats/format.ts';
import { memorySink } from '../../formats/memory-sink.ts';
import { SHARED_DATA, assertRoundTrip, readFiles, removeDir, tempDir, text, writeAll } from './format-fixtures.ts';

const test = suite('coco format');
const INSTANCES = join(SHARED_DATA, 'formats/coco/coco_instances');
const KEYPOINTS = join(SHARED_DATA, 'formats/coco/coco_person_keypoints');
const imported = { type: 'import', format: 'coco' } as const;

const read = (root: string) => cocoFormat.read(directorySource(root), {});
const byPath = (result: ReadResult) => new Map(result.items.map((item) => [item.path, item]));

// A one-image dataset in the usual layout, with the annotation file's parts replaceable.
function dataset(parts: { images?: unknown; annotations?: unknown; categories?: unknown } = {}): Record<string, string | Uint8Array> {
  return {
    'images/train/x.jpg': new Uint8Array([1]),
    'annotations/instances_train.json': JSON.stringify({
      images: parts.images ?? [{ id: 1, file_name: 'x.jpg', width: 100, height: 50 }],
      annotations: parts.annotations ?? [],
      categories: parts.categories ?? [{ id: 1, name: 'cat' }],
    }),
  };
}


test('instances: train and val files give items under their subsets, with boxes, polygons and RLE masks', async () => {
  const result = await read(INSTANCES);
  assert.equal(result.errors, []);
  assert.equal(result.classes, ['a', 'b', 'c']);
  assert.equal(result.items.map((item) => item.path), ['images/train/a.jpg', 'images/val/b.jpg']);
  const items = byPath(result);
  const a = items.get('images/train/a.jpg')!;
  assert.equal(a.media, 'images/train/a.jpg');
  assert.equal(a.meta, { width: 10, height: 5 });
  assert.equal(a.annotations, [{ id: 'a1', kind: 'box', label: 'b', box: [2, 2, 3, 1], source: imported, attributes: { categoryId: 2 } }]);
  const b = items.get('images/val/b.jpg')!;
  assert.equal(b.meta, { width: 5, height: 10 });
  assert.equal(b.annotations, [
    { id: 'a1', kind: 'polygon', label: 'a', points: [[0, 0], [1, 0], [1, 2], [0, 2]], source: imported, attributes: { categoryId: 1, extra: { x: 1, y: 'hello' } } },
    { id: 'a2', kind: 'mask', label: 'b', rle: { size: [10, 5], counts: [0, 20, 30] }, box: [0, 0, 1, 9], source: imported, attributes: { categoryId: 2, iscrowd: 1 } },
  ]);
});

test('person keypoints: keypoints framed by the bbox; an annotation with a segmentation and keypoints becomes a group', async () => {
  const result = await read(KEYPOINTS);
  assert.equal(result.errors, []);
  assert.equal(result.classes, ['a', 'b']);
  const items = byPath(result);
  const skeleton = [[0, 1], [1, 2]];
  assert.equal(items.get('images/train/a.jpg')!.annotations, [
    { id: 'a1', kind: 'keypoints', label: 'b', points: [[0, 0, 0], [0, 2, 1], [4, 1, 2]], box: [2, 2, 3, 1], source: imported, attributes: { categoryId: 2, skeleton } },
  ]);
  const b = items.get('images/val/b.jpg')!.annotations;
  assert.equal(b.map((annotation) => [annotation.id, annotation.kind, annotation.label, annotation.attributes?.group]), [
    ['a1', 'polygon', 'a', 1],
    ['a2', 'keypoints', 'a', 1],
    ['a3', 'mask', 'b', 2],
    ['a4', 'keypoints', 'b', 2],
  ]);
  assert.equal((b[1] as Extract<Annotation, { kind: 'keypoints' }>).points, [[1, 2, 2], [3, 4, 2], [2, 3, 2]]);
  assert.equal((b[3] as Extract<Annotation, { kind: 'keypoints' }>).box, [0, 0, 1, 9]);
});

test('read → write → read gives the same items, for both real datasets', async () => {
  await assertRoundTrip(cocoFormat, INSTANCES);
  await assertRoundTrip(cocoFormat, KEYPOINTS);
});

test('the export keeps category ids and names, one file per subset, images at their file names, media at the item paths', async () => {
  const { sink } = await assertRoundTrip(cocoFormat, INSTANCES);
  assert.equal([...sink.files.keys()].sort(), ['annotations/instances_train.json', 'annotations/instances_val.json']);
  assert.equal([...sink.media.entries()], [['images/train/a.jpg', 'images/train/a.jpg'], ['images/val/b.jpg', 'images/val/b.jpg']]);
  const val = JSON.parse(text(sink, 'annotations/instances_val.json'));
  assert.equal(val.images, [{ id: 1, file_name: 'b.jpg', width: 5, height: 10 }]);
  assert.equal(val.annotations, [
    { id: 1, image_id: 1, category_id: 1, segmentation: [[0, 0, 1, 0, 1, 2, 0, 2]], area: 2, bbox: [0, 0, 1, 2], iscrowd: 0, attributes: { x: 1, y: 'hello' } },
    { id: 2, image_id: 1, category_id: 2, segmentation: { size: [10, 5], counts: [0, 20, 30] }, area: 20, bbox: [0, 0, 1, 9], iscrowd: 1 },
  ]);
  // Used categories keep their ids; the unused "c" (id 4 in the file) keeps its name and place.
  assert.equal(val.categories, [
    { id: 1, name: 'a', supercategory: '' },
    { id: 2, name: 'b', supercategory: '' },
    { id: 3, name: 'c', supercategory: '' },
  ]);
});

test('category ids with gaps survive a round trip when annotations use them', async () => {
  const files = dataset({
    categories: [{ id: 3, name: 'dog', supercategory: 'animal' }, { id: 7, name: 'cat', supercategory: 'animal' }],
    annotations: [
      { id: 10, image_id: 1, category_id: 7, bbox: [1, 1, 10, 10], area: 100, iscrowd: 0, segmentation: [] },
      { id: 11, image_id: 1, category_id: 3, bbox: [5, 5, 10, 10], area: 90.5, iscrowd: 0, segmentation: [] },
    ],
  });
  const dir = await tempDir(files);
  try {
    const result = await read(dir);
    assert.equal(result.classes, ['dog', 'cat']);
    const [cat, dog] = result.items[0]!.annotations;
    assert.equal(cat!.attributes, { categoryId: 7, supercategory: 'animal' });
    assert.equal(dog!.attributes, { categoryId: 3, supercategory: 'animal', area: 90.5 }, 'an area other than the derived one is kept');
    const { sink } = await assertRoundTrip(cocoFormat, dir);
    const out = JSON.parse(text(sink, 'annotations/instances_train.json'));
    assert.equal(out.categories, [{ id: 3, name: 'dog', supercategory: 'animal' }, { id: 7, name: 'cat', supercategory: 'animal' }]);
    assert.equal(out.annotations.map((a: { category_id: number; area: number }) => [a.category_id, a.area]), [[7, 100], [3, 90.5]]);
  } finally {
    await removeDir(dir);
  }
});

test('a multi-part segmentation becomes polygons sharing a group, and is written back as one annotation', async () => {
  const files = dataset({
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 40, 40], area: 600, iscrowd: 0, segmentation: [[0, 0, 10, 0, 10, 10], [20, 20, 40, 20, 40, 40, 20, 40]] },
      { id: 2, image_id: 1, category_id: 1, bbox: [50, 0, 10, 10], area: 100, iscrowd: 0, segmentation: [] },
    ],
  });
  const dir = await tempDir(files);
  try {
    const result = await read(dir);
    assert.equal(result.errors, []);
    const annotations = result.items[0]!.annotations;
    assert.equal(annotations.map((a) => [a.id, a.kind, a.attributes]), [
      ['a1', 'polygon', { categoryId: 1, group: 1, area: 600 }],
      ['a2', 'polygon', { categoryId: 1, group: 1, area: 600 }],
      ['a3', 'box', { categoryId: 1 }],
    ]);
    const { sink } = await assertRoundTrip(cocoFormat, dir);
    const out = JSON.parse(text(sink, 'annotations/instances_train.json'));
    assert.equal(out.annotations[0].segmentation, [[0, 0, 10, 0, 10, 10], [20, 20, 40, 20, 40, 40, 20, 40]]);
    assert.equal(out.annotations[0].bbox, [0, 0, 40, 40]);
    assert.equal(out.annotations[0].area, 600);
    assert.is(out.annotations.length, 2);
  } finally {
    await removeDir(dir);
  }
});

test('Sheaf-made annotations export with derived bbox and area, class ids from the class list, and unexpressible kinds counted', async () => {
  const items: FormatItem[] = [
    {
      path: 'photos/p.jpg',
      media: null,
      meta: { width: 20, height: 20 },
      annotations: [
        { id: 'x', kind: 'polygon', label: 'dent', points: [[0, 0], [4, 0], [4, 3]] },
        { id: 'y', kind: 'box', label: 'scratch', box: [1, 2, 3, 4] },
        { id: 'z', kind: 'class', label: 'ok' },
      ],
    },
  ];
  const sink = memorySink();
  const summary = await cocoFormat.write((async function* () { yield* items; })(), sink, { classes: ['ok', 'scratch', 'dent'], includeMedia: false });
  assert.equal(summary, { items: 1, annotations: 2, skipped: { class: 1 } });
  assert.equal(sink.media.size, 0);
  const out = JSON.parse(text(sink, 'annotations/instances.json'));
  assert.equal(out.images, [{ id: 1, file_name: 'photos/p.jpg', width: 20, height: 20 }]);
  assert.equal(out.annotations, [
    { id: 1, image_id: 1, category_id: 3, segmentation: [[0, 0, 4, 0, 4, 3]], area: 6, bbox: [0, 0, 4, 3], iscrowd: 0 },
    { id: 2, image_id: 1, category_id: 2, segmentation: [], area: 12, bbox: [1, 2, 3, 4], iscrowd: 0 },
  ]);
  assert.equal(out.categories.map((c: { id: number; name: string }) => [c.id, c.name]), [[1, 'ok'], [2, 'scratch'], [3, 'dent']]);
});

test('an export of nothing is still a valid COCO file', async () => {
  const { sink } = await writeAll(cocoFormat, { items: [], classes: ['a'] });
  const out = JSON.parse(text(sink, 'annotations/instances.json'));
  assert.equal(out, { info: { description: 'Exported by Sheaf' }, licenses: [], annotations: [], images: [], categories: [{ id: 1, name: 'a', supercategory: '' }] });
});

test('an item without width and height in its meta is refused by the writer', async () => {
  try {
    await writeAll(cocoFormat, { items: [{ path: 'a.jpg', media: null, meta: {}, annotations: [] }], classes: [] });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'INVALID_INPUT');
  }
});

test('malformed JSON is reported with its line', async () => {
  const result = await readFiles(cocoFormat, { 'images/train/x.jpg': new Uint8Array([1]), 'annotations/instances_train.json': '{\n  "images": [],\n  "annotations": [,]\n}' });
  assert.is(result.errors.length, 1);
  assert.is(result.errors[0]!.file, 'annotations/instances_train.json');
  assert.is(result.errors[0]!.line, 3);
  assert.match(result.errors[0]!.message, /malformed JSON at line 3, column 19/);
});

test('unknown category and image ids, boxes outside the image, duplicate image ids and missing images are all reported', async () => {
  const result = await readFiles(
    cocoFormat,
    dataset({
      images: [
        { id: 1, file_name: 'x.jpg', width: 100, height: 50 },
        { id: 1, file_name: 'x.jpg', width: 100, height: 50 },
        { id: 2, file_name: 'gone.jpg', width: 10, height: 10 },
      ],
      annotations: [
        { id: 1, image_id: 1, category_id: 9, bbox: [0, 0, 1, 1] },
        { id: 2, image_id: 1, category_id: 1, bbox: [90, 40, 20, 5] },
        { id: 3, image_id: 77, category_id: 1, bbox: [0, 0, 1, 1] },
        { id: 4, image_id: 2, category_id: 1, bbox: [0, 0, 1, 1] },
        { id: 5, image_id: 1, category_id: 1, segmentation: [[0, 0, 200, 0, 5, 5]], bbox: [0, 0, 5, 5] },
        { id: 6, image_id: 1, category_id: 1, segmentation: { size: [50, 100], counts: [0, 10] } },
      ],
    }),
  );
  const file = 'annotations/instances_train.json';
  assert.equal(result.errors, [
    { file, entry: 'image id=1', message: 'duplicate image id 1' },
    { file, entry: 'image id=2', message: 'image gone.jpg is missing (looked for images/train/gone.jpg, train/gone.jpg, images/gone.jpg, gone.jpg)' },
    { file, entry: 'annotations[0]', message: 'unknown category id 9' },
    { file, entry: 'annotations[1]', message: 'bbox [90, 40, 20, 5] is outside the 100×50 image' },
    { file, entry: 'annotations[2]', message: 'unknown image id 77' },
    { file, entry: 'annotations[4]', message: 'segmentation[0]: point (200, 0) is outside the 100×50 image' },
    { file, entry: 'annotations[5]', message: 'RLE runs cover 10 pixels, the 50×100 mask has 5000' },
  ]);
});

test('an image file name leaving the import directory is an error, never a read outside it', async () => {
  const result = await readFiles(cocoFormat, dataset({ images: [{ id: 1, file_name: '../../../etc/passwd', width: 10, height: 10 }] }));
  assert.is(result.errors.length, 1);
  assert.match(result.errors[0]!.message, /leads outside the import directory/);
  const absolute = await readFiles(cocoFormat, dataset({ images: [{ id: 1, file_name: '/etc/passwd', width: 10, height: 10 }] }));
  assert.match(absolute.errors[0]!.message, /is absolute/);
});

test('categories that disagree between files, and files that are not COCO, are errors', async () => {
  const result = await readFiles(cocoFormat, {
    'images/train/x.jpg': new Uint8Array([1]),
    'images/val/y.jpg': new Uint8Array([1]),
    'annotations/instances_train.json': JSON.stringify({ images: [{ id: 1, file_name: 'x.jpg', width: 9, height: 9 }], annotations: [], categories: [{ id: 1, name: 'cat' }] }),
    'annotations/instances_val.json': JSON.stringify({ images: [{ id: 1, file_name: 'y.jpg', width: 9, height: 9 }], annotations: [], categories: [{ id: 1, name: 'dog' }] }),
    'annotations/notes.json': JSON.stringify({ hello: 'world' }),
  });
  const messages = result.errors.map((error) => error.message);
  assert.ok(messages.includes('category id 1 is "dog" here and "cat" elsewhere'));
  assert.ok(messages.includes('is not a COCO annotation file: expects an object with "images", "annotations" and "categories" lists'));
  assert.is(messages.length, 2);
});

test('a directory without annotation files is an error', async () => {
  const result = await readFiles(cocoFormat, { 'images/a.jpg': new Uint8Array([1]) });
  assert.equal(result.errors, [{ file: '.', message: 'no COCO annotation file (.json) found' }]);
});

test('RLE: compressed strings decode as pycocotools encodes them; area and box follow the column-major runs', () => {
  assert.equal(rleRuns('532'), [5, 3, 2]);
  assert.equal(rleRuns('5321'), [5, 3, 2, 4], 'runs after the second are differences to the run two before');
  assert.equal(rleRuns('532N'), [5, 3, 2, 1], 'negative differences are sign-extended');
  assert.equal(rleRuns('T3'), [100], 'values past 5 bits continue in the next character');
  assert.is(rleRuns('T'), null, 'a string ending mid-value is not valid');
  const rle = { size: [10, 5] as [number, number], counts: [0, 20, 30] };
  assert.is(rleArea(rle), 20);
  assert.equal(rleBox(rle), [0, 0, 2, 10]);
  assert.equal(rleBox({ size: [4, 4], counts: [5, 2, 9] }), [1, 1, 1, 2]);
  assert.is(rleProblem({ size: [2, 5], counts: '532' }), null);
  assert.match(rleProblem({ size: [2, 2], counts: '532' })!, /cover 10 pixels/);
});

test.run();
