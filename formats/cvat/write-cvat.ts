import type { JsonValue } from '../../core/canonical-json.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import type { FormatItem, FormatSink, WriteOptions, WriteSummary } from '../format.ts';
import { escapeXml } from '../xml-tree.ts';
import { cocoMaskBox, cocoToCvat } from './cvat-mask.ts';
import { RESERVED_ATTRIBUTES } from './cvat-shape.ts';

/**
 * Writes CVAT for images 1.1: one `annotations.xml`, streamed image by image after a `<meta>`
 * declaring `options.classes` (annotations of other classes are skipped; the unlabeled `''` is
 * kept). An item `images/<split>/<name>` with `meta.split` becomes `<image name="<name>"
 * subset="<split>">`, `images/<name>` becomes `name="<name>"`, any other path is the name
 * itself; media go to `images/[<subset>/]<name>`, where `readCvat` looks, so reading the export
 * gives the same paths. Boxes, polygons (`<polyline>` when `attributes.shape` says so),
 * keypoints (`<points>`; visibility and box are not kept and are counted in `skipped`), class
 * annotations (`<tag>`) and masks (RLE over `box`, or the mask's own bounds) are written; spans
 * and ranges cannot be. Attributes other than the shape properties become `<attribute>`s.
 */
export async function writeCvat(items: AsyncIterable<FormatItem>, sink: FormatSink, options: WriteOptions): Promise<WriteSummary> {
  const known = options.classes.length > 0 ? new Set(options.classes) : null;
  const skipped: Record<string, number> = {};
  const skip = (kind: string) => (skipped[kind] = (skipped[kind] ?? 0) + 1);
  const out = await sink.openFile('annotations.xml');
  await out.write(header(options.classes));
  let itemCount = 0;
  let written = 0;
  for await (const item of items) {
    const split = typeof item.meta.split === 'string' && item.meta.split !== '' ? item.meta.split : undefined;
    let name = item.path.startsWith('images/') ? item.path.slice('images/'.length) : item.path;
    const subset = split !== undefined && name.startsWith(`${split}/`) ? split : undefined;
    if (subset !== undefined) name = name.slice(subset.length + 1);
    const { width, height } = item.meta;
    const size = typeof width === 'number' && typeof height === 'number' ? ` width="${width}" height="${height}"` : '';
    const lines = [`  <image id="${itemCount}" name="${escapeXml(name)}"${subset !== undefined ? ` subset="${escapeXml(subset)}"` : ''}${size}>`];
    for (const annotation of item.annotations) {
      if (known && annotation.label !== '' && !known.has(annotation.label)) {
        skip('unknown class');
        continue;
      }
      const shape = shapeXml(annotation, skip);
      if (shape === null) skip(annotation.kind);
      else {
        lines.push(...shape);
        written++;
      }
    }
    lines.push('  </image>');
    await out.write(lines.join('\n') + '\n');
    if (options.includeMedia && item.media !== null) await sink.copyMedia(item.path, `images/${subset !== undefined ? `${subset}/` : ''}${name}`);
    itemCount++;
  }
  await out.write('</annotations>\n');
  await out.close();
  return { items: itemCount, annotations: written, skipped };
}

function header(classes: readonly string[]): string {
  const labels = classes.map((name) => `        <label>\n          <name>${escapeXml(name)}</name>\n        </label>`);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<annotations>',
    '  <version>1.1</version>',
    '  <meta>',
    '    <task>',
    '      <mode>annotation</mode>',
    '      <labels>',
    ...labels,
    '      </labels>',
    '    </task>',
    '  </meta>',
    '',
  ].join('\n');
}

function shapeXml(annotation: Annotation, skip: (kind: string) => void): string[] | null {
  const attributes = annotation.attributes ?? {};
  const common: [string, string][] = [['label', annotation.label]];
  if (annotation.kind !== 'class') common.push(['occluded', attributes.occluded === true ? '1' : '0']);
  if (typeof attributes.source === 'string') common.push(['source', attributes.source]);
  for (const key of ['z_order', 'rotation', 'group_id'] as const) {
    if (typeof attributes[key] === 'number') common.push([key, String(attributes[key])]);
    else if (key === 'z_order' && annotation.kind !== 'class') common.push([key, '0']);
  }
  let element: string;
  let geometry: [string, string][];
  switch (annotation.kind) {
    case 'class':
      element = 'tag';
      geometry = [];
      break;
    case 'box': {
      const [x, y, w, h] = annotation.box;
      element = 'box';
      geometry = [['xtl', String(x)], ['ytl', String(y)], ['xbr', String(x + w)], ['ybr', String(y + h)]];
      break;
    }
    case 'polygon':
      element = attributes.shape === 'polyline' ? 'polyline' : 'polygon';
      geometry = [['points', annotation.points.map(([x, y]) => `${x},${y}`).join(';')]];
      break;
    case 'keypoints':
      if (annotation.points.some(([, , v]) => v !== 2)) skip('keypoints visibility');
      if (annotation.box) skip('keypoints box');
      element = 'points';
      geometry = [['points', annotation.points.map(([x, y]) => `${x},${y}`).join(';')]];
      break;
    case 'mask': {
      const bounds = annotation.box && annotation.box.every(Number.isInteger) ? annotation.box : cocoMaskBox(annotation.rle);
      const mask = cocoToCvat(annotation.rle, bounds);
      element = 'mask';
      geometry = [['rle', mask.counts.join(', ')], ['left', String(mask.left)], ['top', String(mask.top)], ['width', String(mask.width)], ['height', String(mask.height)]];
      break;
    }
    default:
      return null;
  }
  const xmlAttributes = [...common, ...geometry].map(([key, value]) => ` ${key}="${escapeXml(value)}"`).join('');
  const children = Object.entries(attributes)
    .filter(([key]) => !RESERVED_ATTRIBUTES.has(key))
    .map(([key, value]) => `      <attribute name="${escapeXml(key)}">${escapeXml(text(value))}</attribute>`);
  if (children.length === 0) return [`    <${element}${xmlAttributes}/>`];
  return [`    <${element}${xmlAttributes}>`, ...children, `    </${element}>`];
}

function text(value: JsonValue): string {
  return typeof value === 'string' ? value : value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
