import type { JsonObject } from '../../core/canonical-json.ts';
import { childNamed, parseDecimal, type XmlElement } from '../xml-tree.ts';

/** A box of a VOC `<object>` or `<part>`, in Sheaf pixels `[x, y, width, height]`. */
export type VocBox = [number, number, number, number];

/** An `<object>` read from a VOC file: class, box, extras for `attributes`, and its `<part>`s. */
export interface VocObject {
  readonly name: string;
  readonly box: VocBox;
  readonly attributes: JsonObject;
  readonly parts: readonly { readonly name: string; readonly box: VocBox }[];
}

const FLAGS = ['truncated', 'difficult', 'occluded'] as const;
const KNOWN = new Set(['name', 'bndbox', 'pose', 'part', 'actions', ...FLAGS]);

/**
 * Reads one `<object>`. VOC boxes are 1-based, inclusive pixel indices: `xmin = 1, xmax = W`
 * spans the whole image. Sheaf's box is continuous with the origin at the image's corner, so
 * `x = xmin - 1`, `width = xmax - xmin + 1` (the convention of Detectron2 and the VOC devkit);
 * values are rounded to 6 decimals so that fractional boxes survive the ±1 unchanged.
 * Attributes keep what VOC says beyond the box, only where it differs from the default, so a
 * file Sheaf writes reads back the same: `pose` unless `Unspecified`; `truncated`,
 * `difficult`, `occluded` when 1; `actions` as {name: boolean}; any other element holding
 * only text as a string. Returns an error message for anything else.
 */
export function readVocObject(element: XmlElement): VocObject | string {
  const name = childNamed(element, 'name')?.text ?? '';
  if (name === '') return 'object has no name';
  const box = readBox(element);
  if (typeof box === 'string') return `object ${name}: ${box}`;
  const attributes: JsonObject = {};
  const pose = childNamed(element, 'pose')?.text;
  if (pose !== undefined && pose !== '' && pose !== 'Unspecified') attributes.pose = pose;
  for (const flag of FLAGS) {
    const text = childNamed(element, flag)?.text;
    if (text === undefined || text === '') continue;
    const value = parseFlag(text);
    if (value === null) return `object ${name}: ${flag} must be 0 or 1, got ${JSON.stringify(text)}`;
    if (value) attributes[flag] = true;
  }
  const actions = childNamed(element, 'actions');
  if (actions) {
    const flags: JsonObject = {};
    for (const action of actions.children) {
      const value = parseFlag(action.text);
      if (value === null) return `object ${name}: action ${action.name} must be 0 or 1, got ${JSON.stringify(action.text)}`;
      flags[action.name] = value;
    }
    attributes.actions = flags;
  }
  const parts: { name: string; box: VocBox }[] = [];
  for (const child of element.children) {
    if (child.name === 'part') {
      const partName = childNamed(child, 'name')?.text ?? '';
      const partBox = readBox(child);
      if (partName === '') return `object ${name}: part has no name`;
      if (typeof partBox === 'string') return `object ${name}, part ${partName}: ${partBox}`;
      parts.push({ name: partName, box: partBox });
    } else if (!KNOWN.has(child.name)) {
      if (child.children.length > 0) return `object ${name}: <${child.name}> with nested elements is not supported`;
      if (child.name in attributes) return `object ${name}: <${child.name}> appears twice`;
      attributes[child.name] = child.text;
    }
  }
  return { name, box, attributes, parts };
}

function readBox(element: XmlElement): VocBox | string {
  const bndbox = childNamed(element, 'bndbox');
  if (!bndbox) return 'no bndbox';
  const edges: number[] = [];
  for (const edge of ['xmin', 'ymin', 'xmax', 'ymax']) {
    const text = childNamed(bndbox, edge)?.text;
    const value = text === undefined ? null : parseDecimal(text);
    if (value === null) return text === undefined ? `bndbox has no ${edge}` : `bndbox ${edge} ${JSON.stringify(text)} is not a number`;
    edges.push(value);
  }
  const [xmin, ymin, xmax, ymax] = edges as [number, number, number, number];
  if (xmax < xmin - 1 || ymax < ymin - 1) return `bndbox has xmax < xmin or ymax < ymin (${xmin}, ${ymin}, ${xmax}, ${ymax})`;
  return [round6(xmin - 1), round6(ymin - 1), round6(xmax - xmin + 1), round6(ymax - ymin + 1)];
}

function parseFlag(text: string): boolean | null {
  const value = text.trim();
  return value === '1' || value === 'true' ? true : value === '0' || value === 'false' ? false : null;
}

/** Rounds to 6 decimals, the precision VOC coordinates are kept at. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}
