import type { JsonObject } from '../../core/canonical-json.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { insideImage } from '../image-bounds.ts';
import { parseDecimal, type XmlElement } from '../xml-tree.ts';
import { cvatToCoco } from './cvat-mask.ts';

/**
 * Keys of `attributes` that hold what CVAT puts in a shape's XML attributes; the shape's own
 * `<attribute name="…">` values go beside them (as the strings CVAT writes), so these names
 * are refused there.
 */
export const RESERVED_ATTRIBUTES = new Set(['occluded', 'z_order', 'rotation', 'group_id', 'source', 'shape']);
const NUMERIC = ['z_order', 'rotation', 'group_id'] as const;
const GEOMETRY = new Set(['label', 'occluded', 'points', 'xtl', 'ytl', 'xbr', 'ybr', 'rle', 'left', 'top', 'width', 'height', ...NUMERIC, 'source']);
const SOURCE = { type: 'import', format: 'cvat' } as const;

/** An annotation before its id is given. */
export type CvatShape = Annotation extends infer A ? (A extends Annotation ? Omit<A, 'id'> : never) : never;

/** The elements of an `<image>` Sheaf reads; others (`ellipse`, `cuboid`, `skeleton`) are reported as unsupported. */
export const SHAPES = new Set(['box', 'polygon', 'polyline', 'points', 'tag', 'mask']);

/**
 * Reads one shape of a CVAT `<image>`: `<box>` → box; `<polygon>` → polygon; `<polyline>` →
 * polygon with `attributes.shape: 'polyline'` (at least 3 points: Sheaf has no open lines);
 * `<points>` → keypoints, all visible; `<tag>` → a class annotation; `<mask>` → a COCO RLE
 * mask with its box. `occluded` is kept when 1, `z_order`, `rotation`, `group_id` when not 0,
 * `source` as given, other XML attributes and `<attribute>` children as strings. `label=""`
 * (a shape CVAT left without a label) is kept as the label `''`.
 * @returns the annotation without its id, or an error message.
 */
export function readCvatShape(element: XmlElement, width: number | null, height: number | null): CvatShape | string {
  const label = element.attributes.label;
  if (label === undefined) return `<${element.name}> has no label`;
  const attributes: JsonObject = {};
  const xml = element.attributes;
  if (xml.occluded !== undefined && xml.occluded !== '0' && xml.occluded !== '1') return `occluded must be 0 or 1, got ${JSON.stringify(xml.occluded)}`;
  if (xml.occluded === '1' && element.name !== 'tag') attributes.occluded = true;
  for (const key of NUMERIC) {
    if (xml[key] === undefined) continue;
    const value = parseDecimal(xml[key]);
    if (value === null) return `${key} ${JSON.stringify(xml[key])} is not a number`;
    if (value !== 0) attributes[key] = value;
  }
  if (xml.source !== undefined) attributes.source = xml.source;
  for (const [key, value] of Object.entries(xml)) if (!GEOMETRY.has(key)) attributes[key] = value;
  for (const child of element.children) {
    if (child.name !== 'attribute') return `<${child.name}> inside <${element.name}> is not supported`;
    const name = child.attributes.name;
    if (!name) return 'an <attribute> has no name';
    if (RESERVED_ATTRIBUTES.has(name) || name in attributes) return `attribute ${name} clashes with a shape property or appears twice`;
    attributes[name] = child.text;
  }
  const extras = Object.keys(attributes).length > 0 ? { attributes } : {};
  const inside = (x: number, y: number) => width === null || height === null || insideImage(x, y, width, height);

  switch (element.name) {
    case 'tag':
      return { kind: 'class', label, source: SOURCE, ...extras };
    case 'box': {
      const edges = ['xtl', 'ytl', 'xbr', 'ybr'].map((key) => parseDecimal(xml[key] ?? ''));
      if (edges.some((edge) => edge === null)) return 'box needs numeric xtl, ytl, xbr, ybr';
      const [xtl, ytl, xbr, ybr] = edges as number[];
      if (xbr! < xtl! || ybr! < ytl!) return `box has xbr < xtl or ybr < ytl`;
      if (!inside(xtl!, ytl!) || !inside(xbr!, ybr!)) return `box (${xtl}, ${ytl}, ${xbr}, ${ybr}) is outside the image`;
      return { kind: 'box', label, box: [xtl!, ytl!, xbr! - xtl!, ybr! - ytl!] as const, source: SOURCE, ...extras };
    }
    case 'polygon':
    case 'polyline':
    case 'points': {
      const points = parsePoints(xml.points ?? '');
      if (typeof points === 'string') return points;
      const outside = points.find(([x, y]) => !inside(x, y));
      if (outside) return `point (${outside[0]}, ${outside[1]}) is outside the image`;
      if (element.name === 'points') return { kind: 'keypoints', label, points: points.map(([x, y]): [number, number, number] => [x, y, 2]), source: SOURCE, ...extras };
      if (points.length < 3) return `a ${element.name} of ${points.length} points cannot be stored: a polygon needs at least 3`;
      if (element.name === 'polyline') return { kind: 'polygon', label, points, source: SOURCE, attributes: { ...attributes, shape: 'polyline' } };
      return { kind: 'polygon', label, points, source: SOURCE, ...extras };
    }
    case 'mask': {
      if (width === null || height === null) return 'a mask needs the image width and height';
      const box = ['left', 'top', 'width', 'height'].map((key) => parseDecimal(xml[key] ?? ''));
      if (box.some((value) => value === null || !Number.isInteger(value) || value < 0)) return 'mask needs whole-pixel left, top, width, height';
      const counts = (xml.rle ?? '').split(',').map((count) => parseDecimal(count));
      if (counts.some((count) => count === null || !Number.isInteger(count) || count < 0)) return 'mask rle must be comma-separated pixel counts';
      const [left, top, maskWidth, maskHeight] = box as number[];
      const coco = cvatToCoco({ counts: counts as number[], left: left!, top: top!, width: maskWidth!, height: maskHeight! }, width, height);
      if (typeof coco === 'string') return coco;
      return { kind: 'mask', label, rle: { size: [height, width] as const, counts: coco }, box: [left!, top!, maskWidth!, maskHeight!] as const, source: SOURCE, ...extras };
    }
    default:
      return `<${element.name}> is not supported (boxes, polygons, polylines, points, tags and masks are)`;
  }
}

function parsePoints(text: string): [number, number][] | string {
  const points: [number, number][] = [];
  for (const pair of text.split(';')) {
    const [x, y, extra] = pair.split(',').map((value) => parseDecimal(value));
    if (x === null || y === null || x === undefined || y === undefined || extra !== undefined) return `points ${JSON.stringify(text)} must be "x,y;x,y;…"`;
    points.push([x, y]);
  }
  return points;
}
