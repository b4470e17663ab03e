import type { Annotation } from '../../core/labels/annotation.ts';
import { rleArea, rleBox } from './coco-rle.ts';

type Box = [number, number, number, number];

/**
 * The `bbox` and `area` of one COCO annotation, derived from the Sheaf annotations it became
 * (its "members"). The reader and the writer use these same functions: the reader keeps a
 * file's `bbox` or `area` in `attributes` only when it differs from what is derived here, so
 * that an export writes back exactly what was imported and a Sheaf-made annotation gets COCO's
 * usual values.
 */

/** The first member's box (a box, a mask's or keypoints' frame), else the polygons' extent, else the mask's pixels, else the labeled keypoints' extent; null when nothing has a place. */
export function derivedBbox(members: readonly Annotation[]): Box | null {
  for (const member of members) {
    if (member.kind === 'box') return [...member.box];
    if ((member.kind === 'mask' || member.kind === 'keypoints') && member.box) return [...member.box];
  }
  const polygonPoints = members.flatMap((member) => (member.kind === 'polygon' ? member.points : []));
  if (polygonPoints.length > 0) return extent(polygonPoints);
  const mask = members.find((member) => member.kind === 'mask');
  if (mask) return rleBox(mask.rle);
  const labeled = members.flatMap((member) => (member.kind === 'keypoints' ? member.points.filter((point) => point[2] > 0) : []));
  if (labeled.length > 0) return extent(labeled);
  return null;
}

/** The polygons' total area (shoelace), else the mask's pixel count, else the box's area, else 0. */
export function derivedArea(members: readonly Annotation[], bbox: readonly number[] | null): number {
  const polygons = members.filter((member) => member.kind === 'polygon');
  if (polygons.length > 0) return polygons.reduce((sum, polygon) => sum + polygonArea(polygon.points), 0);
  const mask = members.find((member) => member.kind === 'mask');
  if (mask) return rleArea(mask.rle);
  return bbox ? bbox[2]! * bbox[3]! : 0;
}

/** Area of a simple polygon by the shoelace formula. */
export function polygonArea(points: readonly (readonly [number, number])[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i]!;
    const [x1, y1] = points[(i + 1) % points.length]!;
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

function extent(points: readonly (readonly number[])[]): Box {
  let xMin = Infinity;
  let yMin = Infinity;
  let xMax = -Infinity;
  let yMax = -Infinity;
  for (const [x, y] of points as readonly [number, number][]) {
    xMin = Math.min(xMin, x);
    yMin = Math.min(yMin, y);
    xMax = Math.max(xMax, x);
    yMax = Math.max(yMax, y);
  }
  return [xMin, yMin, xMax - xMin, yMax - yMin];
}

/** Same numbers in the same order. */
export function sameNumbers(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
