import type { Annotation } from './annotation.ts';
import { boxIoU, boxPolygon, checkBox, checkInterval, checkPolygon, intervalIoU, polygonIoU, type Box, type Polygon } from './iou.ts';

export { cohensKappa, fleissKappa } from './kappa.ts';
export { boxIoU, polygonIoU } from './iou.ts';

/**
 * How much k labelers' submissions for one item agree, from 0 (not at all) to 1 (the same).
 * `kind` says what was compared: `class` labels, `geometry` (shapes), or `none` when no
 * submission holds anything comparable (`score` null then).
 */
export interface ItemAgreement {
  readonly kind: 'class' | 'geometry' | 'none';
  readonly score: number | null;
}

/**
 * The consensus score of one item labeled independently by k labelers (one `Annotation[]` per
 * labeler), averaged over every pair of labelers:
 * - class annotations: the share of pairs whose sets of classes are equal;
 * - geometry: per pair, same-label shapes are matched one to one, greedily by descending IoU;
 *   the pair's score is the sum of the matched IoUs over the larger of the two shape counts, so
 *   a missed or extra shape counts as 0; two labelers with no shapes agree (1). Boxes and
 *   polygons are compared with each other (a box as its four corners); keypoints by their box,
 *   when they have one; text spans and series ranges by the IoU of their intervals. Masks are
 *   not compared.
 *
 * When an item has both class annotations and shapes, `kind` is `geometry` and `score` is the
 * lower of the two scores: a disagreement on either is a disagreement on the item. `score` is
 * null with fewer than two submissions (there is no pair to compare) or with kind `none`.
 * @throws InvalidInputError (field box, polygon or interval) for a shape with malformed coordinates,
 *   whether or not another submission has a shape to compare it with
 */
export function itemAgreement(submissions: readonly (readonly Annotation[])[]): ItemAgreement {
  const shapes = submissions.map(shapesOf);
  const classes = submissions.map(classSetOf);
  const hasShapes = shapes.some((list) => list.length > 0);
  const hasClasses = submissions.some((annotations) => annotations.some((a) => a.kind === 'class'));
  const kind = hasShapes ? 'geometry' : hasClasses ? 'class' : 'none';
  if (kind === 'none' || submissions.length < 2) return { kind, score: null };

  const classScore = hasClasses ? meanOverPairs(classes, (a, b) => (a === b ? 1 : 0)) : 1;
  if (!hasShapes) return { kind, score: classScore };
  return { kind, score: Math.min(classScore, meanOverPairs(shapes, shapeAgreement)) };
}

/** A comparable shape: an area (box or polygon) or an interval, with its label. */
type Shape =
  | { readonly label: string; readonly space: 'area'; readonly box: Box; readonly polygon?: undefined }
  | { readonly label: string; readonly space: 'area'; readonly box?: undefined; readonly polygon: Polygon }
  | { readonly label: string; readonly space: 'span' | 'range'; readonly interval: readonly [number, number] };

/** The comparable shapes of one submission, each checked: a malformed one is refused even if nothing shares its label. */
function shapesOf(annotations: readonly Annotation[]): Shape[] {
  const shapes: Shape[] = [];
  for (const annotation of annotations) {
    const { label } = annotation;
    switch (annotation.kind) {
      case 'box':
        checkBox(annotation.box);
        shapes.push({ label, space: 'area', box: annotation.box });
        break;
      case 'polygon':
        checkPolygon(annotation.points);
        shapes.push({ label, space: 'area', polygon: annotation.points });
        break;
      case 'keypoints':
        // Points alone do not say how big the object is; without a box they are not compared.
        if (annotation.box) {
          checkBox(annotation.box);
          shapes.push({ label, space: 'area', box: annotation.box });
        }
        break;
      case 'span':
      case 'range':
        checkInterval([annotation.start, annotation.end]);
        shapes.push({ label, space: annotation.kind, interval: [annotation.start, annotation.end] });
        break;
      case 'class':
      case 'mask':
        break;
    }
  }
  return shapes;
}

/** The classes of an item's class annotations, as one comparable string. */
function classSetOf(annotations: readonly Annotation[]): string {
  const labels = new Set(annotations.filter((a) => a.kind === 'class').map((a) => a.label));
  return JSON.stringify([...labels].sort());
}

function meanOverPairs<T>(values: readonly T[], score: (a: T, b: T) => number): number {
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < values.length; i++)
    for (let j = i + 1; j < values.length; j++) {
      total += score(values[i]!, values[j]!);
      pairs++;
    }
  return total / pairs;
}

/** One pair's geometry score: greedy one-to-one matching of same-label shapes by IoU. */
function shapeAgreement(a: readonly Shape[], b: readonly Shape[]): number {
  const larger = Math.max(a.length, b.length);
  if (larger === 0) return 1;
  const candidates: { i: number; j: number; iou: number }[] = [];
  a.forEach((shapeA, i) =>
    b.forEach((shapeB, j) => {
      if (shapeA.label !== shapeB.label || shapeA.space !== shapeB.space) return;
      const iou = iouOf(shapeA, shapeB);
      if (iou > 0) candidates.push({ i, j, iou });
    }),
  );
  // Ties are broken by position, so the score never depends on the sort's stability.
  candidates.sort((x, y) => y.iou - x.iou || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let matched = 0;
  for (const { i, j, iou } of candidates) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    matched += iou;
  }
  return matched / larger;
}

function iouOf(a: Shape, b: Shape): number {
  if ('interval' in a && 'interval' in b) return intervalIoU(a.interval, b.interval);
  if ('interval' in a || 'interval' in b) return 0;
  if (a.box && b.box) return boxIoU(a.box, b.box);
  return polygonIoU(a.polygon ?? boxPolygon(a.box!), b.polygon ?? boxPolygon(b.box!));
}
