import type { JsonValue } from '../../core/canonical-json.ts';
import type { BoxAnnotation } from '../../core/labels/annotation.ts';
import type { FormatItem, FormatSink, WriteOptions, WriteSummary } from '../format.ts';
import { stripExtension } from '../item-paths.ts';
import { round6 } from './voc-object.ts';
import { escapeXml } from '../xml-tree.ts';

const FLAGS = ['truncated', 'difficult'] as const;
const RESERVED = new Set(['pose', 'truncated', 'difficult', 'occluded', 'actions', 'part_of', 'name', 'bndbox', 'part']);
const XML_NAME = /^[A-Za-z_][\w.-]*$/;

/**
 * Writes Pascal VOC: one `Annotations/<id>.xml` per item and `ImageSets/Main/<split>.txt` per
 * `meta.split`. An item under `JPEGImages/` gets the id of its path there
 * (`JPEGImages/2007_000001.jpg` → `2007_000001`); any other item keeps its path, named in
 * `<filename>` from the export's root, and its id is that path without the extension, so
 * reading the export gives the same item paths. Boxes become `<object>`s (`xmin = x + 1`,
 * `xmax = x + width`, the inverse of `readVocObject`), with pose, truncated and difficult
 * always written, occluded and actions when set, and other scalar attributes as elements;
 * boxes whose `attributes.part_of` names another box of the item become its `<part>`s. Given
 * `options.classes`, labelmap.txt lists them and boxes of other classes are skipped. Other
 * kinds cannot be written in VOC; everything left out is counted in `skipped`.
 */
export async function writeVoc(items: AsyncIterable<FormatItem>, sink: FormatSink, options: WriteOptions): Promise<WriteSummary> {
  const skipped: Record<string, number> = {};
  const skip = (kind: string) => (skipped[kind] = (skipped[kind] ?? 0) + 1);
  const lists = new Map<string, Awaited<ReturnType<FormatSink['openFile']>>>();
  // With a class list, labelmap.txt declares the classes, and a reader refuses others.
  const known = options.classes.length > 0 ? new Set(options.classes) : null;
  let itemCount = 0;
  let written = 0;

  for await (const item of items) {
    itemCount++;
    const relative = item.path.startsWith('JPEGImages/') ? item.path.slice('JPEGImages/'.length) : item.path;
    const id = stripExtension(relative);
    const boxes: BoxAnnotation[] = [];
    for (const annotation of item.annotations) {
      if (annotation.kind !== 'box') skip(annotation.kind);
      else if (known && !known.has(annotation.label)) skip('unknown class');
      else boxes.push(annotation);
    }
    const boxIds = new Set(boxes.map((box) => box.id));
    const isPart = (box: BoxAnnotation) => {
      const parent = box.attributes?.part_of;
      return typeof parent === 'string' && parent !== box.id && boxIds.has(parent);
    };
    const lines = ['<annotation>', `  <filename>${escapeXml(relative)}</filename>`];
    const { width, height, depth } = item.meta;
    if (typeof width === 'number' && typeof height === 'number') {
      lines.push('  <size>', `    <width>${width}</width>`, `    <height>${height}</height>`, `    <depth>${typeof depth === 'number' ? depth : 3}</depth>`, '  </size>');
    }
    lines.push('  <segmented>0</segmented>');
    for (const box of boxes) {
      if (isPart(box)) continue;
      lines.push(...objectXml(box, boxes.filter((part) => isPart(part) && part.attributes!.part_of === box.id), skip));
      written++;
    }
    written += boxes.filter(isPart).length;
    lines.push('</annotation>');
    await sink.writeFile(`Annotations/${id}.xml`, lines.join('\n') + '\n');
    if (options.includeMedia && item.media !== null) await sink.copyMedia(item.path, item.path);
    const split = item.meta.split;
    if (typeof split === 'string' && /^[\w.-]+$/.test(split)) {
      let list = lists.get(split);
      if (!list) lists.set(split, (list = await sink.openFile(`ImageSets/Main/${split}.txt`)));
      await list.write(`${id}\n`);
    }
  }
  for (const list of lists.values()) await list.close();
  if (options.classes.length > 0) {
    await sink.writeFile('labelmap.txt', ['# label:color_rgb:parts:actions', ...options.classes.map((name) => `${name}:::`)].join('\n') + '\n');
  }
  return { items: itemCount, annotations: written, skipped };
}

function objectXml(box: BoxAnnotation, parts: readonly BoxAnnotation[], skip: (kind: string) => void): string[] {
  const attributes = box.attributes ?? {};
  const lines = ['  <object>', `    <name>${escapeXml(box.label)}</name>`];
  lines.push(`    <pose>${escapeXml(typeof attributes.pose === 'string' ? attributes.pose : 'Unspecified')}</pose>`);
  for (const flag of FLAGS) lines.push(`    <${flag}>${attributes[flag] === true ? 1 : 0}</${flag}>`);
  if (attributes.occluded === true) lines.push('    <occluded>1</occluded>');
  lines.push(...bndbox(box.box, '    '));
  for (const part of parts) lines.push('    <part>', `      <name>${escapeXml(part.label)}</name>`, ...bndbox(part.box, '      '), '    </part>');
  const actions = attributes.actions;
  if (isFlagRecord(actions)) {
    lines.push('    <actions>');
    for (const [action, value] of Object.entries(actions)) lines.push(`      <${action}>${value ? 1 : 0}</${action}>`);
    lines.push('    </actions>');
  }
  for (const [key, value] of Object.entries(attributes)) {
    if (RESERVED.has(key)) continue;
    if (!XML_NAME.test(key) || (value !== null && typeof value === 'object')) skip('attribute');
    else lines.push(`    <${key}>${escapeXml(value === null ? '' : String(value))}</${key}>`);
  }
  lines.push('  </object>');
  return lines;
}

function bndbox([x, y, w, h]: readonly [number, number, number, number], indent: string): string[] {
  return [
    `${indent}<bndbox>`,
    `${indent}  <xmin>${round6(x + 1)}</xmin>`,
    `${indent}  <ymin>${round6(y + 1)}</ymin>`,
    `${indent}  <xmax>${round6(x + w)}</xmax>`,
    `${indent}  <ymax>${round6(y + h)}</ymax>`,
    `${indent}</bndbox>`,
  ];
}

function isFlagRecord(value: JsonValue | undefined): value is Record<string, boolean> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([key, flag]) => XML_NAME.test(key) && typeof flag === 'boolean')
  );
}
