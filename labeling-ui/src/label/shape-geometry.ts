import type { Annotation } from '../../../core/labels/annotation.ts';
import { clipBox, clipPoint, roundPx, type Box, type Point } from './annotation-edits.ts';

/** A box handle: which edges it moves. Corners move two, edge midpoints one. */
export type BoxHandle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';

export const BOX_HANDLES: readonly BoxHandle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** Where a box handle sits, in image pixels. */
export function handlePoint(box: Box, handle: BoxHandle): Point {
  const [x, y, w, h] = box;
  const hx = handle.includes('w') ? x : handle.includes('e') ? x + w : x + w / 2;
  const hy = handle.includes('n') ? y : handle.includes('s') ? y + h : y + h / 2;
  return [hx, hy];
}

/**
 * The box after dragging `handle` by (dx, dy) image pixels: the edges it names follow the
 * pointer, the others stay. Dragging past the opposite edge flips the box rather than
 * collapsing it; the result is clipped to the image.
 */
export function resizeBox(box: Box, handle: BoxHandle, dx: number, dy: number, size: { width: number; height: number }): Box {
  let [x0, y0] = box;
  let x1 = box[0] + box[2];
  let y1 = box[1] + box[3];
  if (handle.includes('w')) x0 += dx;
  if (handle.includes('e')) x1 += dx;
  if (handle.includes('n')) y0 += dy;
  if (handle.includes('s')) y1 += dy;
  return clipBox([Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0)], size.width, size.height) ?? box;
}

/** The annotation moved by (dx, dy) image pixels, kept inside the image. */
export function translate(annotation: Annotation, dx: number, dy: number, size: { width: number; height: number }): Annotation {
  switch (annotation.kind) {
    case 'box': {
      const [x, y, w, h] = annotation.box;
      const nx = Math.min(Math.max(0, x + dx), size.width - w);
      const ny = Math.min(Math.max(0, y + dy), size.height - h);
      return { ...annotation, box: [roundPx(nx), roundPx(ny), w, h] };
    }
    case 'polygon': {
      const [cdx, cdy] = clampShift(annotation.points, dx, dy, size);
      return { ...annotation, points: annotation.points.map(([px, py]) => [roundPx(px + cdx), roundPx(py + cdy)] as const) };
    }
    case 'keypoints': {
      const placed = annotation.points.filter((p) => p[2] > 0).map((p) => [p[0], p[1]] as const);
      const [cdx, cdy] = clampShift(placed, dx, dy, size);
      const points = annotation.points.map(([px, py, v]) => (v > 0 ? ([roundPx(px + cdx), roundPx(py + cdy), v] as const) : ([px, py, v] as const)));
      if (!annotation.box) return { ...annotation, points };
      const [bx, by, bw, bh] = annotation.box;
      return { ...annotation, points, box: clipBox([bx + cdx, by + cdy, bw, bh], size.width, size.height) ?? annotation.box };
    }
    default:
      return annotation;
  }
}

/** One vertex of a polygon or one keypoint moved to `to`. */
export function moveVertex(annotation: Annotation, index: number, to: Point, size: { width: number; height: number }): Annotation {
  const [x, y] = clipPoint(to, size.width, size.height);
  if (annotation.kind === 'polygon') return { ...annotation, points: annotation.points.map((p, i) => (i === index ? ([x, y] as const) : p)) };
  if (annotation.kind === 'keypoints')
    return { ...annotation, points: annotation.points.map((p, i) => (i === index ? ([x, y, p[2] > 0 ? p[2] : 2] as const) : p)) };
  return annotation;
}

/** The shift that keeps every point inside the image. */
function clampShift(points: readonly Point[], dx: number, dy: number, size: { width: number; height: number }): [number, number] {
  if (points.length === 0) return [dx, dy];
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const cdx = Math.min(Math.max(dx, -Math.min(...xs)), size.width - Math.max(...xs));
  const cdy = Math.min(Math.max(dy, -Math.min(...ys)), size.height - Math.max(...ys));
  return [cdx, cdy];
}
