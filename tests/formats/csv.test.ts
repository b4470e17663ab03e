import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvFormat } from '../../formats/csv/csv-format.ts';
import { directorySource } from '../../formats/directory-source.ts';
import { SHARED_DATA, assertRoundTrip, readFiles, removeDir, tempDir, text, writeAll } from './format-fixtures.ts';

const test = suite('csv format');
const RACCOONS = join(SHARED_DATA, 'images/raccoon_voc_subset');
const imported = { type: 'import', format: 'csv' } as const;
const read = (root: string) => csvFormat.read(directorySource(root), {});
const IMAGE = new Uint8Array([1]);


test('the raccoon CSV: 43 boxes on the 40 images present, each of the 174 rows naming an absent image an error with its line', async () => {
  const result = await read(RACCOONS);
  assert.is(result.items.length, 40);
  assert.is(result.items.reduce((sum, item) => sum + item.annotations.length, 0), 43);
  assert.equal(result.classes, ['raccoon']);
  assert.is(result.errors.length, 174);
  const file = 'raccoon_labels_all200.csv';
  assert.equal(result.errors[0], { file, line: 4, message: 'image raccoon-100.jpg is missing (looked for raccoon-100.jpg, images/raccoon-100.jpg)' });
  assert.ok(result.errors.every((error) => error.file === file && typeof error.line === 'number' && /^image raccoon-\d+\.jpg is missing/.test(error.message)));
  assert.ok(result.errors.some((error) => error.line === 151 && error.message.startsWith('image raccoon-41.jpg ')));
  const first = result.items.find((item) => item.path === 'images/raccoon-1.jpg')!;
  assert.equal(first, { path: 'images/raccoon-1.jpg', media: 'images/raccoon-1.jpg', meta: { width: 650, height: 417 }, annotations: [{ id: 'a1', kind: 'box', label: 'raccoon', box: [81, 88, 441, 320], source: imported }] });
  assert.is(result.items.filter((item) => item.annotations.length === 2).length, 3, 'three images have two raccoons');
});

test('read → write → read gives the same items for the raccoon boxes whose images are present', async () => {
  const csv = await readFile(join(RACCOONS, 'raccoon_labels_all200.csv'), 'utf8');
  const present = csv.split('\n').filter((line, index) => index === 0 || Number(/^raccoon-(\d+)\.jpg,/.exec(line)?.[1] ?? 999) <= 40);
  const dir = await tempDir({ 'raccoons.csv': present.join('\n') + '\n' });
  try {
    await mkdir(join(dir, 'images'));
    for (let n = 1; n <= 40; n++) await copyFile(join(RACCOONS, 'images', `raccoon-${n}.jpg`), join(dir, 'images', `raccoon-${n}.jpg`));
    const result = await read(dir);
    assert.equal(result.errors, []);
    assert.is(result.items.length, 40);
    const { sink } = await assertRoundTrip(csvFormat, dir, result);
    assert.equal([...sink.files.keys()], ['boxes.csv']);
    assert.is(text(sink, 'boxes.csv').split('\n')[1], 'images/raccoon-1.jpg,650,417,raccoon,81,88,522,408');
  } finally {
    await removeDir(dir);
  }
});

test('classification: several rows give several classes, quoted fields, an empty label marks an item with nothing to mark', async () => {
  const files = {
    'data/labels.csv': 'path,label\r\nb.jpg,dog\r\n"a, with comma.jpg",cat\r\nb.jpg,"say ""hi"""\r\nc.jpg,\r\n',
    'data/b.jpg': IMAGE,
    'data/a, with comma.jpg': IMAGE,
    'data/images/c.jpg': IMAGE,
  };
  const dir = await tempDir(files);
  try {
    const result = await read(dir);
    assert.equal(result.errors, []);
    assert.equal(result.classes, ['cat', 'dog', 'say "hi"']);
    assert.equal(result.items, [
      { path: 'data/a, with comma.jpg', media: 'data/a, with comma.jpg', meta: {}, annotations: [{ id: 'a1', kind: 'class', label: 'cat', source: imported }] },
      {
        path: 'data/b.jpg',
        media: 'data/b.jpg',
        meta: {},
        annotations: [
          { id: 'a1', kind: 'class', label: 'dog', source: imported },
          { id: 'a2', kind: 'class', label: 'say "hi"', source: imported },
        ],
      },
      { path: 'data/images/c.jpg', media: 'data/images/c.jpg', meta: {}, annotations: [] },
    ]);
    const { sink } = await assertRoundTrip(csvFormat, dir);
    assert.is(text(sink, 'labels.csv'), 'path,label\n"data/a, with comma.jpg",cat\ndata/b.jpg,dog\ndata/b.jpg,"say ""hi"""\ndata/images/c.jpg,\n');
  } finally {
    await removeDir(dir);
  }
});

test('a classification file and a box file about one image add up; the writer splits them again', async () => {
  const dir = await tempDir({
    'x.jpg': IMAGE,
    'tags.csv': 'image,class\nx.jpg,night\n',
    'boxes.csv': 'filename,width,height,class,xmin,ymin,xmax,ymax\nx.jpg,100,80,car,0.1,0.2,0.3,50.5\n',
  });
  try {
    const result = await read(dir);
    assert.equal(result.errors, []);
    assert.equal(result.items[0]!.annotations.map((a) => [a.id, a.kind, a.label]), [['a1', 'box', 'car'], ['a2', 'class', 'night']]);
    assert.equal(result.items[0]!.meta, { width: 100, height: 80 });
    const { sink } = await assertRoundTrip(csvFormat, dir);
    assert.is(text(sink, 'boxes.csv'), 'filename,width,height,class,xmin,ymin,xmax,ymax\nx.jpg,100,80,car,0.1,0.2,0.3,50.5\n', 'corners come back as written');
  } finally {
    await removeDir(dir);
  }
});

test('box rows without width and height take the size from the image', async () => {
  const jpg = await readFile(join(RACCOONS, 'images/raccoon-1.jpg'));
  const result = await readFiles(csvFormat, { 'p.jpg': jpg, 'b.csv': 'filename,class,xmin,ymin,xmax,ymax\np.jpg,raccoon,1,2,3,4\n' });
  assert.equal(result.errors, []);
  assert.equal(result.items[0]!.meta, { width: 650, height: 417 });
});

test('bad rows are all reported with their lines (a file\'s syntax errors first), and none stops the read', async () => {
  const result = await readFiles(csvFormat, {
    'x.jpg': IMAGE,
    'b.csv': [
      'filename,width,height,class,xmin,ymin,xmax,ymax',
      'x.jpg,100,80,car,0,0,10,10',
      'x.jpg,100,80,car,90,70,110,75',
      'x.jpg,100,80,car,a,0,10,10',
      'x.jpg,100,80,car,10,10,5,20',
      'x.jpg,100,80,,1,1,2,2',
      'x.jpg,100,80',
      'x.jpg,120,80,car,0,0,1,1',
      ',100,80,car,0,0,1,1',
      '../x.jpg,100,80,car,0,0,1,1',
      'y.jpg,100,80,car,0,0,1,1',
      'x.jpg,0,80,car,0,0,1,1',
    ].join('\n'),
    'l.csv': 'path,label\nx.jpg,cat\nx.jpg,cat\n"x.jpg,dog\n',
    'odd.csv': 'name,colour\nx.jpg,red\n',
  });
  assert.equal(result.errors, [
    { file: 'b.csv', line: 3, message: 'x.jpg: box [90, 70, 20, 5] is outside the 100×80 image' },
    { file: 'b.csv', line: 4, message: 'xmin, ymin, xmax, ymax must be numbers, got a, 0, 10, 10' },
    { file: 'b.csv', line: 5, message: 'xmax, ymax must not be less than xmin, ymin (10, 10, 5, 20)' },
    { file: 'b.csv', line: 6, message: 'has a box but no class' },
    { file: 'b.csv', line: 7, message: 'has 3 fields, the header has 8' },
    { file: 'b.csv', line: 8, message: 'size 120×80 differs from 100×80 at line 2 of b.csv' },
    { file: 'b.csv', line: 9, message: 'has no path' },
    { file: 'b.csv', line: 10, message: 'invalid path: "../x.jpg" leads outside the import directory' },
    { file: 'b.csv', line: 11, message: 'image y.jpg is missing (looked for y.jpg, images/y.jpg)' },
    { file: 'b.csv', line: 12, message: 'width and height must be positive numbers, got 0, 80' },
    { file: 'l.csv', line: 4, message: 'malformed CSV: Quote Not Closed: the parsing is finished with an opening quote' },
    { file: 'l.csv', line: 3, message: 'label "cat" is given for x.jpg again (first at line 2 of l.csv)' },
    { file: 'odd.csv', line: 1, message: 'header "name,colour" is not a known CSV layout: expects path,label or filename,width,height,class,xmin,ymin,xmax,ymax' },
  ]);
});

test('no CSV file, or an empty one, is an error', async () => {
  assert.equal((await readFiles(csvFormat, { 'a.jpg': IMAGE })).errors, [{ file: '.', message: 'no CSV file found' }]);
  assert.equal((await readFiles(csvFormat, { 'a.csv': '' })).errors, [{ file: 'a.csv', message: 'is empty: expects a header row' }]);
});

test('the writer counts what CSV cannot hold and writes labeled-empty rows for items with nothing it can hold', async () => {
  const { sink } = await writeAll(
    csvFormat,
    {
      items: [{ path: 'p/q.jpg', media: null, meta: {}, annotations: [{ id: 'x', kind: 'polygon', label: 'dent', points: [[0, 0], [1, 0], [1, 1]] }] }],
      classes: ['dent'],
    },
    { includeMedia: false },
  );
  assert.is(text(sink, 'labels.csv'), 'path,label\np/q.jpg,\n');
  assert.equal(sink.media.size, 0);
});

test.run();
