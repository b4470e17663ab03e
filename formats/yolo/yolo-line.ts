import type { Annotation } from '../../core/labels/annotation.ts';
import { insideImage } from '../image-bounds.ts';
import type { YoloConfig } from './yolo-config.ts';
import { toPixels } from './yolo-rounding.ts';

/** What a label line is read against: the classes, the image size and the dataset's task. */
export interface LineContext {
  readonly config: YoloConfig;
  readonly width: number;
  readonly height: number;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A label line's annotation without its id, or why the line is wrong. */
export type LineResult = { readonly annotation: WithoutId<Annotation> } | { readonly error: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SOURCE = { type: 'import', format: 'yolo' } as const;

/**
 * Reads one line of a YOLO label file. Which annotation a line is follows from its length
 * (n values after the class id) and data.yaml:
 * - with `kpt_shape: [k, d]`, n = 4 + k·d is a pose line: box, then k points (`x y` or `x y v`);
 *   other lengths follow the rules below, so a pose dataset may also hold boxes and polygons;
 * - n = 4 is a box `cx cy w h`;
 * - n = 8 is an oriented box `x1 y1 … x4 y4` (a polygon with `attributes.obb: true`), unless
 *   data.yaml says `task: segment`, then a 4-point polygon;
 * - any other even n ≥ 6 is a polygon `x1 y1 x2 y2 …`.
 * Coordinates are fractions of the image size, converted to pixels by `toPixels`; a point
 * more than `OUTSIDE_TOLERANCE_PX` outside the image is an error.
 */
export function parseYoloLine(text: string, context: LineContext): LineResult {
  const fields = text.trim().split(/\s+/);
  const [classField, ...valueFields] = fields;
  if (!/^\d+$/.test(classField!)) return { error: `class id ${JSON.stringify(classField)} is not a whole number` };
  const classId = Number(classField);
  const label = context.config.classes[classId];
  if (label === undefined) return { error: `unknown class id ${classId} (${context.config.classes.length} classes)` };
  const bad = valueFields.find((field) => !NUMBER.test(field));
  if (bad !== undefined) return { error: `${JSON.stringify(bad)} is not a number` };
  const values = valueFields.map(Number);
  const { width, height, config } = context;
  const n = values.length;
  const kpt = config.keypoints;

  if (kpt && n === 4 + kpt.count * kpt.dims) {
    const box = toBox(values, width, height);
    if (typeof box === 'string') return { error: box };
    const points: [number, number, number][] = [];
    for (let i = 4; i < n; i += kpt.dims) {
      const v = kpt.dims === 3 ? values[i + 2]! : 2;
      if (v !== 0 && v !== 1 && v !== 2) return { error: `keypoint visibility must be 0, 1 or 2, got ${values[i + 2]}` };
      const point: [number, number, number] = [toPixels(values[i]!, width), toPixels(values[i + 1]!, height), v];
      if (!insideImage(point[0], point[1], width, height)) return { error: `keypoint (${values[i]}, ${values[i + 1]}) is outside the image` };
      points.push(point);
    }
    return { annotation: { kind: 'keypoints', label, points, box, source: SOURCE } };
  }
  if (n === 4) {
    const box = toBox(values, width, height);
    return typeof box === 'string' ? { error: box } : { annotation: { kind: 'box', label, box, source: SOURCE } };
  }
  if (n >= 6 && n % 2 === 0) {
    const points: [number, number][] = [];
    for (let i = 0; i < n; i += 2) {
      const point: [number, number] = [toPixels(values[i]!, width), toPixels(values[i + 1]!, height)];
      if (!insideImage(point[0], point[1], width, height)) return { error: `point (${values[i]}, ${values[i + 1]}) is outside the image` };
      points.push(point);
    }
    const obb = n === 8 && config.task !== 'segment';
    return { annotation: { kind: 'polygon', label, points, source: SOURCE, ...(obb && { attributes: { obb: true } }) } };
  }
  const expected = kpt ? `${4 + kpt.count * kpt.dims} (pose, kpt_shape [${kpt.count}, ${kpt.dims}]), ` : '';
  return { error: `expected the class id and ${expected}4 (box), 8 (oriented box) or an even number ≥ 6 (polygon) coordinates, got ${n}` };
}

function toBox(values: readonly number[], width: number, height: number): [number, number, number, number] | string {
  const [cx, cy, w, h] = values as [number, number, number, number];
  if (w < 0 || h < 0) return `box width and height must not be negative, got ${w} × ${h}`;
  const box: [number, number, number, number] = [toPixels(cx - w / 2, width), toPixels(cy - h / 2, height), toPixels(w, width), toPixels(h, height)];
  if (!insideImage(box[0], box[1], width, height) || !insideImage(box[0] + box[2], box[1] + box[3], width, height)) {
    return `box (${cx}, ${cy}, ${w}, ${h}) is outside the image`;
  }
  return box;
}
