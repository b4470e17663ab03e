import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { directorySource } from '../../formats/directory-source.ts';
import type { FormatItem } from '../../formats/format.ts';
import { labelFormat } from '../../formats/registry.ts';
import { vocFormat } from '../../formats/voc/voc-format.ts';
import { SHARED_DATA, assertRoundTrip, cleanupSuite, readErrors, readFiles, writeAll } from './format-fixtures.ts';

const VOC1 = join(SHARED_DATA, 'formats/voc/voc_dataset1');
const VOC2 = join(SHARED_DATA, 'formats/voc/voc_dataset2');
const RACCOON = join(SHARED_DATA, 'images/raccoon_voc_subset');
const source = { type: 'import', format: 'voc' };

// ---------------------------------------------------------------------------------------------
const real = suite('VOC: the real sample datasets');

real('voc_dataset1: the annotated image with a part and actions, the test image without annotations', async () => {
  const result = await vocFormat.read(directorySource(VOC1), {});
  assert.equal(result.errors, []);
  assert.equal(result.classes, ['cat', 'person', 'head']);
  assert.equal(result.items, [
    {
      path: 'JPEGImages/2007_000001.jpg',
      media: 'JPEGImages/2007_000001.jpg',
      meta: { width: 20, height: 10, split: 'train' },
      annotations: [
        // xmin 1, ymin 2, xmax 3, ymax 4 (1-based, inclusive) → x 0, y 1, 3 × 3 pixels.
        { id: 'a1', kind: 'box', label: 'cat', box: [0, 1, 3, 3], source, attributes: { truncated: true } },
        {
          id: 'a2',
          kind: 'box',
          label: 'person',
          box: [3, 4, 3, 3],
          source,
          attributes: {
            actions: { other: true, jumping: false, phoning: true, playinginstrument: false, reading: true, ridingbike: false, ridinghorse: true, running: false, takingphoto: true, usingcomputer: false, walking: true },
          },
        },
        // The part: xmin 5.5, xmax 7.5 → x 4.5, width 3.
        { id: 'a3', kind: 'box', label: 'head', box: [4.5, 5, 3, 3], source, attributes: { part_of: 'a2' } },
      ],
    },
    { path: 'JPEGImages/2007_000002.jpg', media: 'JPEGImages/2007_000002.jpg', meta: { width: 20, height: 10, split: 'test' }, annotations: [] },
  ]);
});

real('voc_dataset2: annotation-only (no images), labelmap classes, the @.xml file without objects', async () => {
  const result = await vocFormat.read(directorySource(VOC2), {});
  assert.equal(result.errors, []);
  assert.is(result.classes.length, 22);
  assert.equal(result.classes.slice(0, 4), ['background', 'aeroplane', 'bicycle', 'bird']);
  assert.is(result.classes[21], 'ignored');
  assert.equal(
    result.items.map((item) => [item.path, item.media, item.meta, item.annotations.map((a) => [a.label, a.kind === 'box' && a.box, a.attributes ?? null])]),
    [
      ['JPEGImages/@.jpg', null, {}, []],
      ['JPEGImages/a.jpg', null, {}, [['background', [0, 1, 4, 5], { occluded: true }]]],
      ['JPEGImages/b.jpg', null, {}, [['aeroplane', [1, 1, 6, 5], { occluded: true }]]],
      ['JPEGImages/c.jpg', null, {}, [['bicycle', [2, 0, 9, 6], null]]],
      ['JPEGImages/d.jpg', null, {}, [['bird', [3, 3, 5, 5], null]]],
    ],
  );
});

real('the raccoon labelImg set: 40 images in ../images, 43 raccoons', async () => {
  const result = await vocFormat.read(directorySource(RACCOON), {});
  assert.equal(result.errors, []);
  assert.equal(result.classes, ['raccoon']);
  assert.is(result.items.length, 40);
  assert.is(result.items.reduce((sum, item) => sum + item.annotations.length, 0), 43);
  assert.ok(result.items.every((item) => item.media === item.path && /^images\/raccoon-\d+\.jpg$/.test(item.path)));
  const byPath = new Map(result.items.map((item) => [item.path, item]));
  // raccoon-1.xml: 650 × 417, xmin 81, ymin 88, xmax 522, ymax 408.
  assert.equal(byPath.get('images/raccoon-1.jpg'), {
    path: 'images/raccoon-1.jpg',
    media: 'images/raccoon-1.jpg',
    meta: { width: 650, height: 417 },
    annotations: [{ id: 'a1', kind: 'box', label: 'raccoon', box: [80, 87, 442, 321], source }],
  });
  for (const name of ['raccoon-12', 'raccoon-24', 'raccoon-31']) assert.is(byPath.get(`images/${name}.jpg`)!.annotations.length, 2, name);
});

real('the registry knows the format by name', () => {
  assert.is(labelFormat('voc'), vocFormat);
});

// ---------------------------------------------------------------------------------------------
const roundTrip = suite('VOC: read → write → read');

for (const [name, dir] of [
  ['voc_dataset1', VOC1],
  ['voc_dataset2', VOC2],
  ['raccoon', RACCOON],
] as const) {
  roundTrip(`${name} gives the same items and classes`, async () => {
    const { summary } = await assertRoundTrip(vocFormat, dir);
    assert.equal(summary.skipped, {});
  });
}

roundTrip('the writer keeps VOC ids, writes split lists and counts what VOC cannot hold', async () => {
  const items: FormatItem[] = [
    {
      path: 'JPEGImages/x.jpg',
      media: null,
      meta: { width: 10, height: 10, split: 'val' },
      annotations: [
        { id: 'a1', kind: 'box', label: 'cat', box: [0, 0, 10, 10], attributes: { difficult: true, pose: 'Left', note: 'a & b' } },
        { id: 'a2', kind: 'polygon', label: 'cat', points: [[0, 0], [1, 0], [1, 1]] },
        { id: 'a3', kind: 'box', label: 'dog', box: [0, 0, 1, 1] },
      ],
    },
  ];
  const { sink, summary } = await writeAll(vocFormat, { items, classes: ['cat'] }, { includeMedia: false });
  assert.equal(summary, { items: 1, annotations: 1, skipped: { polygon: 1, 'unknown class': 1 } });
  const xml = new TextDecoder().decode(sink.files.get('Annotations/x.xml'));
  assert.match(xml, /<xmin>1<\/xmin>\s*<ymin>1<\/ymin>\s*<xmax>10<\/xmax>\s*<ymax>10<\/ymax>/);
  assert.match(xml, /<note>a &amp; b<\/note>/);
  assert.is(new TextDecoder().decode(sink.files.get('ImageSets/Main/val.txt')), 'x\n');
  const again = await readFiles(vocFormat, sink.files);
  assert.equal(again.items[0]!.annotations, [{ id: 'a1', kind: 'box', label: 'cat', box: [0, 0, 10, 10], source, attributes: { pose: 'Left', difficult: true, note: 'a & b' } }]);
});

// ---------------------------------------------------------------------------------------------
const errors = suite('VOC: malformed files');

const xml = (objects: string, size = '<size><width>10</width><height>10</height><depth>3</depth></size>') =>
  `<annotation>\n  <filename>a.jpg</filename>\n  ${size}\n${objects}</annotation>\n`;
const object = (name: string, box: string) => `  <object><name>${name}</name><bndbox>${box}</bndbox></object>\n`;
const box = (xmin: number | string, ymin: number, xmax: number, ymax: number) => `<xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax>`;

errors('malformed XML: the parser message with line and column', async () => {
  const found = await readErrors(vocFormat, { 'Annotations/a.xml': '<annotation>\n  <filename>a.jpg</filename>\n  <object><name>x</name>\n</annotation>\n' });
  assert.is(found.length, 1);
  assert.is(found[0]!.file, 'Annotations/a.xml');
  assert.is(found[0]!.line, 4);
  assert.match(found[0]!.message, /malformed XML at line 4, column \d+/);
});

errors('a DOCTYPE (entity expansion) is refused', async () => {
  const found = await readErrors(vocFormat, { 'Annotations/a.xml': '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<annotation><filename>a.jpg</filename></annotation>' });
  assert.equal(found, [{ file: 'Annotations/a.xml', line: 2, message: 'a DOCTYPE is not supported in annotation files' }]);
});

errors('unknown class with a labelmap, box outside the image, bad numbers, missing bndbox', async () => {
  const found = await readErrors(vocFormat, {
    'labelmap.txt': 'cat:0,0,0::\n',
    'Annotations/a.xml': xml(object('dog', box(1, 1, 2, 2)) + object('cat', box(1, 1, 12, 5)) + object('cat', box('x', 1, 2, 2)) + '  <object><name>cat</name></object>\n'),
  });
  assert.equal(
    found.map((error) => error.entry),
    ['object[2]', 'object[3]', 'object[4]', 'object[5]'],
  );
  assert.match(found[0]!.message, /unknown class dog/);
  assert.match(found[1]!.message, /outside the 10×10 image/);
  assert.match(found[2]!.message, /"x" is not a number/);
  assert.match(found[3]!.message, /no bndbox/);
});

errors('an image referenced but missing, when the import carries images', async () => {
  const found = await readErrors(vocFormat, { 'Annotations/a.xml': xml(''), 'Annotations/b.xml': xml('').replace('a.jpg', 'b.jpg'), 'JPEGImages/b.jpg': 'not read: the size is in the xml' });
  assert.equal(found.map((error) => error.file), ['Annotations/a.xml']);
  assert.match(found[0]!.message, /image a\.jpg is referenced but missing/);
});

errors('a split list naming an image that has neither annotation nor image', async () => {
  const found = await readErrors(vocFormat, { 'Annotations/a.xml': xml(''), 'ImageSets/Main/train.txt': 'a\nghost\n' });
  assert.equal(found, [{ file: 'ImageSets/Main/train.txt', message: 'image ghost is listed but has neither Annotations/ghost.xml nor an image in JPEGImages/' }]);
});

errors('not a VOC file, and unsupported nested elements', async () => {
  const found = await readErrors(vocFormat, {
    'Annotations/a.xml': '<annotations><image/></annotations>',
    'Annotations/b.xml': xml('  <object><name>cat</name><bndbox>' + box(1, 1, 2, 2) + '</bndbox><polygon><x>1</x></polygon></object>\n').replace('a.jpg', 'b.jpg'),
  });
  assert.match(found[0]!.message, /root element is <annotations>/);
  assert.match(found[1]!.message, /<polygon> with nested elements is not supported/);
});

const cleanup = cleanupSuite('VOC');

real.run();
roundTrip.run();
errors.run();
cleanup.run();
