import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import type { Annotation, AnnotationSource } from '../../core/labels/annotation.ts';
import { boxProblem, pointProblem, type ImageSize } from '../image-bounds.ts';
import { isJsonObject } from '../json-text.ts';
import type { CocoCategory } from './coco-categories.ts';
import { derivedArea, derivedBbox, sameNumbers } from './coco-geometry.ts';
import { rleProblem } from './coco-rle.ts';

/** What reading one COCO annotation needs besides the annotation. */
export interface CocoAnnotationContext {
  readonly category: CocoCategory;
  readonly image: ImageSize;
  /** The annotation's 1-based place among its image's annotations: the `group` of its parts. */
  readonly ordinal: number;
  readonly source: AnnotationSource;
  readonly nextId: () => string;
}

/**
 * The Sheaf annotations ("members") one COCO annotation becomes:
 * - each polygon of `segmentation` → a `polygon`; an RLE `segmentation` → a `mask` framed by `bbox`;
 * - no segmentation and no keypoints → a `box`;
 * - non-empty `keypoints` → a `keypoints` framed by `bbox`.
 * Members of one COCO annotation share `attributes.group` (its ordinal in the image) so that
 * the writer rebuilds it. Every member carries `attributes.categoryId` (the COCO id, kept so an
 * export numbers categories as they were), `iscrowd: 1` when set, `bbox`/`area` only when the
 * file's value differs from what would be derived from the geometry, the category's
 * `supercategory` when non-empty, and the annotation's own `attributes` object as `extra`;
 * keypoints also carry the category's `keypointNames` and `skeleton` when non-empty.
 * @returns the members, or the problems found (box or points outside the image, malformed
 *   segmentation, keypoints not matching the category's names…).
 */
export function cocoMembers(raw: JsonObject, context: CocoAnnotationContext): Annotation[] | string[] {
  const { category, image } = context;
  const problems: string[] = [];
  const bbox = readBbox(raw.bbox, image, problems);
  const segmentation = readSegmentation(raw.segmentation, image, problems);
  const keypoints = readKeypoints(raw.keypoints, category, image, problems);
  const { iscrowd, area, attributes: extra } = raw;
  if (iscrowd !== undefined && iscrowd !== 0 && iscrowd !== 1) problems.push('iscrowd must be 0 or 1');
  if (area !== undefined && (typeof area !== 'number' || !Number.isFinite(area) || area < 0)) problems.push('area must be a non-negative number');
  if (extra !== undefined && !isJsonObject(extra)) problems.push('attributes must be an object');
  if (segmentation === null && keypoints === null && bbox === null && problems.length === 0) problems.push('has no bbox, segmentation or keypoints');
  if (problems.length > 0) return problems;

  const label = category.name;
  const source = context.source;
  const shapes: Shape[] = [];
  if (Array.isArray(segmentation)) for (const points of segmentation) shapes.push({ kind: 'polygon', points });
  else if (segmentation) shapes.push({ kind: 'mask', rle: segmentation, ...(bbox && { box: bbox }) });
  else if (!keypoints && bbox) shapes.push({ kind: 'box', box: bbox });
  if (keypoints) shapes.push({ kind: 'keypoints', points: keypoints, ...(bbox && { box: bbox }) });
  const geometry = shapes.map((shape) => ({ ...shape, id: '', label }) as Annotation);

  const derived = derivedBbox(geometry);
  const shared: JsonObject = {
    categoryId: category.id,
    ...(shapes.length > 1 && { group: context.ordinal }),
    ...(iscrowd === 1 && { iscrowd: 1 }),
    ...(bbox && !sameNumbers(bbox, derived) && { bbox: [...bbox] }),
    ...(typeof area === 'number' && area !== derivedArea(geometry, bbox ?? derived) && { area }),
    ...(category.supercategory !== '' && { supercategory: category.supercategory }),
    ...(isJsonObject(extra) && { extra }),
  };
  return shapes.map((shape) => {
    const attributes: JsonObject = { ...shared };
    if (shape.kind === 'keypoints') {
      if (category.keypoints.length > 0) attributes.keypointNames = [...category.keypoints];
      if (category.skeleton.length > 0) attributes.skeleton = category.skeleton.map((pair) => [...pair]);
    }
    return { ...shape, id: context.nextId(), label, source, attributes } as Annotation;
  });
}

type Box = [number, number, number, number];
/** An annotation's geometry without its identity (distributes over the union so each kind keeps its fields). */
type Shape = Annotation extends infer A ? (A extends Annotation ? Omit<A, 'id' | 'label' | 'source' | 'review' | 'attributes'> : never) : never;
type Rle = { size: [number, number]; counts: string | number[] };

function readBbox(value: JsonValue | undefined, image: ImageSize, problems: string[]): Box | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length !== 4 || !value.every((n) => typeof n === 'number')) {
    problems.push('bbox must be [x, y, width, height]');
    return null;
  }
  const problem = boxProblem(value as number[], image);
  if (problem) problems.push(problem.replace(/^box/, 'bbox'));
  return value as Box;
}

function readSegmentation(value: JsonValue | undefined, image: ImageSize, problems: string[]): [number, number][][] | Rle | null {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return null;
  if (isJsonObject(value)) {
    const problem = rleProblem({ size: value.size, counts: value.counts });
    if (problem) return void problems.push(problem), null;
    const size = value.size as [number, number];
    if (size[0] !== image.height || size[1] !== image.width)
      problems.push(`RLE size [${size.join(', ')}] is not the image's [height, width] [${image.height}, ${image.width}]`);
    return { size: [size[0], size[1]], counts: Array.isArray(value.counts) ? (value.counts as number[]) : (value.counts as string) };
  }
  if (!Array.isArray(value)) return void problems.push('segmentation must be a list of polygons or an RLE object'), null;
  const polygons: [number, number][][] = [];
  value.forEach((part, index) => {
    if (!Array.isArray(part) || !part.every((n) => typeof n === 'number') || part.length % 2 !== 0)
      return problems.push(`segmentation[${index}] must be a flat list of x, y numbers`);
    if (part.length < 6) return problems.push(`segmentation[${index}] has fewer than 3 points`);
    const points: [number, number][] = [];
    for (let i = 0; i < part.length; i += 2) points.push([part[i] as number, part[i + 1] as number]);
    const outside = points.map(([x, y]) => pointProblem(x, y, image)).find((problem) => problem !== null);
    if (outside) return problems.push(`segmentation[${index}]: ${outside}`);
    polygons.push(points);
  });
  return polygons;
}

function readKeypoints(value: JsonValue | undefined, category: CocoCategory, image: ImageSize, problems: string[]): [number, number, number][] | null {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return null;
  if (!Array.isArray(value) || !value.every((n) => typeof n === 'number') || value.length % 3 !== 0)
    return void problems.push('keypoints must be a flat list of x, y, v numbers'), null;
  const count = value.length / 3;
  if (category.keypoints.length > 0 && category.keypoints.length !== count)
    problems.push(`has ${count} keypoints, category "${category.name}" names ${category.keypoints.length}`);
  const points: [number, number, number][] = [];
  for (let i = 0; i < value.length; i += 3) {
    const [x, y, v] = value.slice(i, i + 3) as [number, number, number];
    if (v !== 0 && v !== 1 && v !== 2) problems.push(`keypoint ${i / 3 + 1} has visibility ${v}, not 0, 1 or 2`);
    else if (v > 0) {
      const outside = pointProblem(x, y, image);
      if (outside) problems.push(`keypoint ${i / 3 + 1}: ${outside}`);
    }
    points.push([x, y, v]);
  }
  return points;
}
