import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import type { Annotation, AnnotationSource } from '../../core/labels/annotation.ts';
import { boxProblem, pointProblem, type ImageSize } from '../image-bounds.ts';
import { isJsonObject } from '../json-text.ts';
import { pixelsOf } from './ls-percent.ts';

/** What turning one result region into annotations needs. */
export interface LsResultContext {
  /** The image's size, when known (from `original_width`/`original_height` or the file). */
  readonly size: ImageSize | null;
  readonly source: AnnotationSource;
  readonly nextId: () => string;
}

/** Result types that place something on an image, and so need its size. */
export const IMAGE_TYPES = new Set(['rectanglelabels', 'polygonlabels', 'keypointlabels']);

/**
 * The Sheaf annotations of one Label Studio result region, one per label it carries:
 * `rectanglelabels` → `box` (a non-zero `rotation`, around the top-left corner as Label Studio
 * turns it, is kept in `attributes.rotation`); `polygonlabels` → `polygon`; `keypointlabels` →
 * `keypoints` with its one point (visible) and the marker's `width` in `attributes`; `choices`
 * → `class`; `labels` (text) → `span` with the quoted `text` in `attributes`;
 * `timeserieslabels` → `range`. The control and object tag names (`from_name`, `to_name`) are
 * kept in `attributes.fromName`/`toName` so that an export fits the same labeling config.
 * @returns the annotations, or why the region cannot be read.
 */
export function lsAnnotations(result: JsonObject, context: LsResultContext): Annotation[] | string {
  const { type, value } = result;
  if (typeof type !== 'string') return 'a result has no type';
  if (!isJsonObject(value)) return `${type} result has no value`;
  const labels = value[type];
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((label) => typeof label === 'string' && label !== ''))
    return `${type} result has no ${type} list of names`;
  const geometry = lsGeometry(type, value, context.size);
  if (typeof geometry === 'string') return geometry;
  const attributes: JsonObject = { ...geometry.attributes };
  if (typeof result.from_name === 'string') attributes.fromName = result.from_name;
  if (typeof result.to_name === 'string') attributes.toName = result.to_name;
  return (labels as string[]).map(
    (label) => ({ ...geometry.shape, id: context.nextId(), label, source: context.source, attributes }) as Annotation,
  );
}

type Shape = { kind: string; [field: string]: JsonValue };

function lsGeometry(type: string, value: JsonObject, size: ImageSize | null): { shape: Shape; attributes: JsonObject } | string {
  const number = (key: string) => (typeof value[key] === 'number' && Number.isFinite(value[key]) ? (value[key] as number) : null);
  switch (type) {
    case 'rectanglelabels': {
      const [x, y, w, h] = [number('x'), number('y'), number('width'), number('height')];
      if (x === null || y === null || w === null || h === null || !size) return 'rectangle needs numeric x, y, width, height and the image size';
      const rotation = number('rotation') ?? 0;
      const box = [pixelsOf(x, size.width), pixelsOf(y, size.height), pixelsOf(w, size.width), pixelsOf(h, size.height)];
      // A rotated box may reach past the image's edges while being a correct label.
      const problem = boxProblem(box, rotation === 0 ? size : null);
      if (problem) return problem;
      return { shape: { kind: 'box', box }, attributes: rotation === 0 ? {} : { rotation } };
    }
    case 'polygonlabels': {
      const points = value.points;
      if (!size || !Array.isArray(points) || points.length < 3) return 'polygon needs at least 3 points and the image size';
      const pixels: [number, number][] = [];
      for (const point of points) {
        if (!Array.isArray(point) || point.length !== 2 || !point.every((n) => typeof n === 'number')) return 'polygon points must be [x, y] pairs';
        const [x, y] = [pixelsOf(point[0] as number, size.width), pixelsOf(point[1] as number, size.height)];
        const problem = pointProblem(x, y, size);
        if (problem) return `polygon ${problem}`;
        pixels.push([x, y]);
      }
      return { shape: { kind: 'polygon', points: pixels }, attributes: {} };
    }
    case 'keypointlabels': {
      const [x, y] = [number('x'), number('y')];
      if (x === null || y === null || !size) return 'keypoint needs numeric x, y and the image size';
      const [px, py] = [pixelsOf(x, size.width), pixelsOf(y, size.height)];
      const problem = pointProblem(px, py, size);
      if (problem) return `keypoint ${problem}`;
      const width = number('width');
      return { shape: { kind: 'keypoints', points: [[px, py, 2]] }, attributes: width === null ? {} : { width } };
    }
    case 'choices':
      return { shape: { kind: 'class' }, attributes: {} };
    case 'labels': {
      const [start, end] = [number('start'), number('end')];
      if (start === null || end === null || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start)
        return 'text span needs integer start and end offsets, start ≤ end (hypertext spans are not supported)';
      return { shape: { kind: 'span', start, end }, attributes: typeof value.text === 'string' ? { text: value.text } : {} };
    }
    case 'timeserieslabels': {
      const [start, end] = [number('start'), number('end')];
      if (start === null || end === null || end < start) return 'time series range needs numeric start and end, start ≤ end (date strings are not supported)';
      return { shape: { kind: 'range', start, end }, attributes: value.instant === true ? { instant: true } : {} };
    }
    default:
      return `result type ${type} is not supported (supported: rectanglelabels, polygonlabels, keypointlabels, choices, labels, timeserieslabels)`;
  }
}
