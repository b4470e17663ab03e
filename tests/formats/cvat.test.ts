import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cvatFormat } from '../../formats/cvat/cvat-format.ts';
import { directorySource } from '../../formats/directory-source.ts';
import type { FormatItem } from '../../formats/format.ts';
import { labelFormat } from '../../formats/registry.ts';
import { SHARED_DATA, assertRoundTrip, cleanupSuite, readErrors, readFiles, writeAll, writeAndRead } from './format-fixtures.ts';

const TASK = join(SHARED_DATA, 'formats/cvat/for_images/export_task');
const PROJECT = join(SHARED_DATA, 'formats/cvat/for_images/export_project');
const source = { type: 'import', format: 'cvat' };

// The shapes of both sample files, read by hand: box xtl 0, ytl 2, xbr 4, ybr 4 → [0, 2, 4, 2].
const img0 = (polylineLabel: string) => [
  { id: 'a1', kind: 'box', label: 'label1', box: [0, 2, 4, 2], source, attributes: { occluded: true, z_order: 1, a1: 'true', a2: 'v3', a3: '0003', a4: '2.4' } },
  { id: 'a2', kind: 'polygon', label: polylineLabel, points: [[1, 2], [3, 4], [5, 6], [7, 8]], source, attributes: { shape: 'polyline' } },
];
const img1 = (polygonLabel: string) => [
  { id: 'a1', kind: 'polygon', label: polygonLabel, points: [[1, 2], [3, 4], [6, 5]], source, attributes: { z_order: 1 } },
  { id: 'a2', kind: 'keypoints', label: 'label2', points: [[1, 2, 2], [3, 4, 2], [5, 6, 2]], source, attributes: { z_order: 2 } },
];

// ---------------------------------------------------------------------------------------------
const real = suite('CVAT: the real sample exports');

real('task export train.xml: two images, labels from <meta>, unlabeled shapes kept with label ""', async () => {
  const result = await cvatFormat.read(directorySource(TASK), {});
  assert.equal(result.errors, []);
  assert.equal(result.classes, ['label1', 'label2']);
  assert.equal(result.items, [
    { path: 'images/img0.jpg', media: 'images/img0.jpg', meta: { width: 8, height: 8 }, annotations: img0('') },
    { path: 'images/img1.jpg', media: 'images/img1.jpg', meta: { width: 10, height: 10 }, annotations: img1('') },
  ]);
});

real('project export annotations.xml: six images in three subsets, found under images/<subset>/', async () => {
  const result = await cvatFormat.read(directorySource(PROJECT), {});
  assert.equal(result.errors, []);
  assert.equal(result.classes, ['label1', 'label2']);
  assert.equal(
    result.items.map((item) => [item.path, item.meta.split, item.annotations.length]),
    [
      ['images/Test/img0.jpg', 'Test', 2],
      ['images/Test/img1.jpg', 'Test', 2],
      ['images/Train/img0.jpg', 'Train', 2],
      ['images/Train/img1.jpg', 'Train', 2],
      ['images/Validation/img0.jpg', 'Validation', 2],
      ['images/Validation/img1.jpg', 'Validation', 2],
    ],
  );
  assert.equal(result.items[2]!.annotations, img0('label2'));
  assert.equal(result.items[5]!.annotations, img1('label1'));
});

real('the registry knows the format by name', () => {
  assert.is(labelFormat('cvat'), cvatFormat);
});

// ---------------------------------------------------------------------------------------------
const roundTrip = suite('CVAT: read → write → read');

for (const [name, dir] of [
  ['task export', TASK],
  ['project export', PROJECT],
] as const) {
  roundTrip(`${name} gives the same items and classes`, async () => {
    const { summary } = await assertRoundTrip(cvatFormat, dir);
    assert.equal(summary.skipped, {});
  });
}

const MASK_XML = `<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta><task><labels><label><name>cat</name></label></labels></task></meta>
  <image id="0" name="a.png" width="4" height="3">
    <mask label="cat" source="manual" occluded="0" rle="1, 2, 1, 2" left="1" top="1" width="3" height="2" z_order="0"/>
    <tag label="cat" source="manual"><attribute name="mood">calm</attribute></tag>
  </image>
</annotations>
`;

roundTrip('a mask: CVAT runs over its box ↔ COCO runs over the image, column by column', async () => {
  const first = await readFiles(cvatFormat, { 'annotations.xml': MASK_XML });
  assert.equal(first.errors, []);
  // The 3 × 2 box at (1, 1) holds, row by row, 0 1 1 / 0 1 1: pixels (2,1) (3,1) (2,2) (3,2) of
  // the 4 × 3 image. Column-major: columns 0 and 1 empty (6 zeros), columns 2 and 3 are 0 1 1 each.
  assert.equal(first.items[0]!.annotations, [
    { id: 'a1', kind: 'mask', label: 'cat', rle: { size: [3, 4], counts: [7, 2, 1, 2] }, box: [1, 1, 3, 2], source, attributes: { source: 'manual' } },
    { id: 'a2', kind: 'class', label: 'cat', source, attributes: { source: 'manual', mood: 'calm' } },
  ]);
  assert.equal(first.items[0]!.media, null, 'an import without images is annotation-only');
  const { again, sink } = await writeAndRead(cvatFormat, first, null);
  assert.equal(again.items, first.items);
  assert.match(new TextDecoder().decode(sink.files.get('annotations.xml')), /rle="1, 2, 1, 2" left="1" top="1" width="3" height="2"/);
});

roundTrip('a COCO mask with compressed string counts is written as CVAT runs over its bounds', async () => {
  // pycocotools encodes counts [7, 2, 1, 2] as "7210": from the fourth on, each count is stored
  // as its difference to the one two places before (2 − 2 = 0); small values take one character.
  const items: FormatItem[] = [
    { path: 'images/a.png', media: null, meta: { width: 4, height: 3 }, annotations: [{ id: 'a1', kind: 'mask', label: 'cat', rle: { size: [3, 4], counts: '7210' } }] },
  ];
  const { sink } = await writeAll(cvatFormat, { items, classes: ['cat'] }, { includeMedia: false });
  assert.match(new TextDecoder().decode(sink.files.get('annotations.xml')), /<mask label="cat" occluded="0" z_order="0" rle="0, 4" left="2" top="1" width="2" height="2"\/>/);
});

roundTrip('what CVAT cannot hold is counted: spans, unknown classes, keypoint visibility', async () => {
  const items: FormatItem[] = [
    {
      path: 'elsewhere/a.png',
      media: null,
      meta: { width: 10, height: 10 },
      annotations: [
        { id: 'a1', kind: 'span', label: 'cat', start: 0, end: 1 },
        { id: 'a2', kind: 'box', label: 'dog', box: [0, 0, 1, 1] },
        { id: 'a3', kind: 'keypoints', label: 'cat', points: [[1, 1, 2], [0, 0, 0]] },
      ],
    },
  ];
  const { sink, summary } = await writeAll(cvatFormat, { items, classes: ['cat'] }, { includeMedia: false });
  assert.equal(summary, { items: 1, annotations: 1, skipped: { span: 1, 'unknown class': 1, 'keypoints visibility': 1 } });
  assert.match(new TextDecoder().decode(sink.files.get('annotations.xml')), /<image id="0" name="elsewhere\/a.png" width="10" height="10">/);
});

// ---------------------------------------------------------------------------------------------
const errors = suite('CVAT: malformed files');

const doc = (shapes: string, meta = '<meta><task><labels><label><name>cat</name></label></labels></task></meta>') =>
  `<annotations>\n<version>1.1</version>\n${meta}\n<image id="0" name="a.jpg" width="10" height="10">\n${shapes}\n</image>\n</annotations>\n`;

errors('malformed XML with its line', async () => {
  const found = await readErrors(cvatFormat, { 'annotations.xml': '<annotations>\n<image id="0" name="a.jpg">\n<box label="cat" xtl="0"\n</annotations>' });
  assert.is(found.length, 1);
  assert.is(found[0]!.file, 'annotations.xml');
  assert.ok(found[0]!.line! >= 3, `line ${found[0]!.line}`);
  assert.match(found[0]!.message, /malformed XML at line/);
});

errors('unknown label, outside coordinates, bad points, short polyline, unsupported shapes and tracks', async () => {
  const found = await readErrors(cvatFormat, {
    'annotations.xml': doc(
      [
        '<box label="dog" xtl="0" ytl="0" xbr="1" ybr="1" occluded="0"/>',
        '<box label="cat" xtl="0" ytl="0" xbr="12" ybr="1" occluded="0"/>',
        '<polygon label="cat" points="1,2;3" occluded="0"/>',
        '<polyline label="cat" points="1,2;3,4" occluded="0"/>',
        '<ellipse label="cat" cx="1" cy="1" rx="1" ry="1" occluded="0"/>',
        '<mask label="cat" rle="5" left="0" top="0" width="2" height="2" occluded="0"/>',
        '<box label="cat" xtl="0" ytl="0" xbr="1" ybr="1" occluded="0"><attribute name="z_order">3</attribute></box>',
      ].join('\n'),
    ).replace('</annotations>', '<track id="4" label="cat"></track>\n</annotations>'),
  });
  const messages = found.map((error) => error.message);
  assert.is(found.length, 8);
  assert.match(messages[0]!, /tracks \(video annotation\) are not supported/);
  assert.match(messages[1]!, /unknown label dog/);
  assert.match(messages[2]!, /outside the image/);
  assert.match(messages[3]!, /must be "x,y;x,y;…"/);
  assert.match(messages[4]!, /polyline of 2 points cannot be stored/);
  assert.match(messages[5]!, /<ellipse> is not supported/);
  assert.match(messages[6]!, /cover 5 pixels, its box 2×2 has 4/);
  assert.match(messages[7]!, /z_order clashes/);
  assert.equal(found[1]!.entry, 'image id=0 name=a.jpg <box>');
});

errors('an image referenced but missing when the import carries images; a wrong root element', async () => {
  const missing = await readErrors(cvatFormat, { 'annotations.xml': doc(''), 'images/other.jpg': 'x' });
  assert.match(missing[0]!.message, /image a\.jpg is referenced but missing \(looked for images\/a\.jpg, a\.jpg\)/);
  const wrong = await readErrors(cvatFormat, { 'annotations.xml': '<annotation><filename>a.jpg</filename></annotation>' });
  assert.match(wrong[0]!.message, /not a CVAT for images file/);
  const none = await readErrors(cvatFormat, { 'readme.txt': 'hello' });
  assert.match(none[0]!.message, /no CVAT XML file/);
});

const cleanup = cleanupSuite('CVAT');

real.run();
roundTrip.run();
errors.run();
cleanup.run();
