import polygonClipping, { type MultiPolygon, type Ring } from 'polygon-clipping';
import { InvalidInputError } from '../errors.ts';

/** An axis-aligned box `[x, y, width, height]`, as in `BoxAnnotation`. */
export type Box = readonly [number, number, number, number];

/** A polygon's vertices `[[x, y], …]`, as in `PolygonAnnotation`; closed implicitly. */
export type Polygon = readonly (readonly [number, number])[];

/**
 * Intersection over union of two boxes `[x, y, width, height]`: 0 when they do not overlap,
 * 1 when they are equal. Two boxes without area (width or height 0) overlap nowhere: their IoU
 * is 1 when they are the same box, else 0.
 * @throws InvalidInputError for a coordinate that is not finite, or a negative width or height
 */
export function boxIoU(a: Box, b: Box): number {
  checkBox(a);
  checkBox(b);
  const width = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const height = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  const intersection = width > 0 && height > 0 ? width * height : 0;
  const union = a[2] * a[3] + b[2] * b[3] - intersection;
  if (union <= 0) return sameBox(a, b) ? 1 : 0;
  return intersection / union;
}

/**
 * Intersection over union of two simple polygons, convex or not; their vertices may run either
 * way round. The intersection is computed by polygon-clipping (Martinez–Rueda sweep line), and
 * each polygon's own area by the same library, so a ring that crosses itself is measured by
 * the same rule as the intersection. Polygons without area overlap nowhere: their IoU is 1 when
 * they have the same vertices, else 0.
 * @throws InvalidInputError for fewer than three vertices or a coordinate that is not finite
 */
export function polygonIoU(a: Polygon, b: Polygon): number {
  const ringA = ringOf(a);
  const ringB = ringOf(b);
  // Shapes whose bounding boxes are apart cannot intersect: skip the sweep, the costly part.
  if (apart(boundsOf(a), boundsOf(b))) return 0;
  const areaA = areaOf(polygonClipping.union([ringA]));
  const areaB = areaOf(polygonClipping.union([ringB]));
  const intersection = areaOf(polygonClipping.intersection([ringA], [ringB]));
  const union = areaA + areaB - intersection;
  if (union <= 0) return samePoints(a, b) ? 1 : 0;
  // Rounding in the sweep may put the intersection a hair above one of the areas.
  return Math.min(1, Math.max(0, intersection / union));
}

/** The box's corners as a polygon, clockwise in image coordinates. */
export function boxPolygon(box: Box): Polygon {
  const [x, y, w, h] = box;
  return [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ];
}

/**
 * Intersection over union of two intervals `[start, end]` (text spans, series ranges): the
 * shared length over the covered length. Empty intervals overlap nowhere: 1 when equal, else 0.
 * @throws InvalidInputError for an end before its start or a bound that is not finite
 */
export function intervalIoU(a: readonly [number, number], b: readonly [number, number]): number {
  checkInterval(a);
  checkInterval(b);
  const intersection = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  const union = a[1] - a[0] + (b[1] - b[0]) - intersection;
  if (union <= 0) return a[0] === b[0] && a[1] === b[1] ? 1 : 0;
  return intersection / union;
}

/** @throws InvalidInputError unless the bounds are finite and `end` is not before `start` */
export function checkInterval([start, end]: readonly [number, number]): void {
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start)
    throw new InvalidInputError('interval', `[${start}, ${end}] must have finite bounds, the end not before the start`);
}

/** The smallest box holding every vertex. */
export function boundsOf(points: Polygon): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX - minX, maxY - minY];
}

/** @throws InvalidInputError unless `box` is four finite numbers with a non-negative width and height */
export function checkBox(box: Box): void {
  if (box.length !== 4 || !box.every(Number.isFinite))
    throw new InvalidInputError('box', `expected [x, y, width, height] of finite numbers, got [${box.join(', ')}]`);
  if (box[2] < 0 || box[3] < 0) throw new InvalidInputError('box', `width and height may not be negative: [${box.join(', ')}]`);
}

/** @throws InvalidInputError unless `points` are at least three pairs of finite numbers */
export function checkPolygon(points: Polygon): void {
  if (points.length < 3) throw new InvalidInputError('polygon', `needs at least three vertices, got ${points.length}`);
  for (const point of points)
    if (point.length < 2 || !Number.isFinite(point[0]) || !Number.isFinite(point[1]))
      throw new InvalidInputError('polygon', `vertex [${point.join(', ')}] is not a pair of finite numbers`);
}

function ringOf(points: Polygon): Ring {
  checkPolygon(points);
  // polygon-clipping wants mutable pairs; copies also keep extra elements out of its input.
  return points.map(([x, y]) => [x, y]);
}

/** Whether two bounding boxes are strictly apart: then different shapes share no area. */
function apart(a: Box, b: Box): boolean {
  return a[0] + a[2] < b[0] || b[0] + b[2] < a[0] || a[1] + a[3] < b[1] || b[1] + b[3] < a[1];
}

/** Area of a polygon-clipping result: each polygon's outer ring less its holes. */
function areaOf(shape: MultiPolygon): number {
  let total = 0;
  for (const [outer, ...holes] of shape) {
    if (!outer) continue;
    total += ringArea(outer);
    for (const hole of holes) total -= ringArea(hole);
  }
  return total;
}

/** Shoelace formula, unsigned; the ring may or may not repeat its first vertex. */
function ringArea(ring: Ring): number {
  let twice = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

function sameBox(a: Box, b: Box): boolean {
  return a.every((value, i) => value === b[i]);
}

function samePoints(a: Polygon, b: Polygon): boolean {
  return a.length === b.length && a.every(([x, y], i) => x === b[i]![0] && y === b[i]![1]);
}
