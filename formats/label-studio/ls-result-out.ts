import type { JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import type { ImageSize } from '../image-bounds.ts';
import { percentOf } from './ls-percent.ts';

/**
 * The Label Studio result regions of one annotation (the inverse of ls-result.ts): one region,
 * or one per labeled point for keypoints; none for a mask, which Label Studio stores as brush
 * strokes of its own encoding. `mediaKey` is the task's data key (the default object tag
 * name); image regions carry the image's size, as Label Studio writes them.
 * @throws InvalidInputError when an image region is asked for without the image's size.
 */
export function lsResults(annotation: Annotation, itemPath: string, mediaKey: string, size: ImageSize | null): JsonObject[] {
  const attributes = annotation.attributes ?? {};
  const names = (from: string) => ({
    from_name: typeof attributes.fromName === 'string' ? attributes.fromName : from,
    to_name: typeof attributes.toName === 'string' ? attributes.toName : mediaKey,
  });
  const onImage = (): ImageSize => {
    if (!size) throw new InvalidInputError('item', `${itemPath} has no width and height in its meta, needed for its ${annotation.kind} annotations`);
    return size;
  };
  const sized: JsonObject = size ? { original_width: size.width, original_height: size.height, image_rotation: 0 } : {};
  const { id, label } = annotation;
  switch (annotation.kind) {
    case 'box': {
      const { width, height } = onImage();
      const [x, y, w, h] = annotation.box;
      const rotation = typeof attributes.rotation === 'number' ? attributes.rotation : 0;
      const value = { x: percentOf(x, width), y: percentOf(y, height), width: percentOf(w, width), height: percentOf(h, height), rotation, rectanglelabels: [label] };
      return [{ id, type: 'rectanglelabels', ...names('label'), ...sized, value }];
    }
    case 'polygon': {
      const { width, height } = onImage();
      const points = annotation.points.map(([x, y]) => [percentOf(x, width), percentOf(y, height)]);
      return [{ id, type: 'polygonlabels', ...names('label'), ...sized, value: { points, closed: true, polygonlabels: [label] } }];
    }
    case 'keypoints': {
      const { width, height } = onImage();
      const marker: JsonObject = typeof attributes.width === 'number' ? { width: attributes.width } : {};
      return annotation.points
        .map((point, index) => ({ point, index }))
        .filter(({ point }) => point[2] > 0)
        .map(({ point: [x, y], index }) => ({
          id: annotation.points.length === 1 ? id : `${id}-${index + 1}`,
          type: 'keypointlabels',
          ...names('label'),
          ...sized,
          value: { x: percentOf(x, width), y: percentOf(y, height), ...marker, keypointlabels: [label] },
        }));
    }
    case 'class':
      return [{ id, type: 'choices', ...names('choice'), ...sized, value: { choices: [label] } }];
    case 'span':
      return [{ id, type: 'labels', ...names('label'), value: { start: annotation.start, end: annotation.end, ...(typeof attributes.text === 'string' && { text: attributes.text }), labels: [label] } }];
    case 'range':
      return [{ id, type: 'timeserieslabels', ...names('label'), value: { start: annotation.start, end: annotation.end, instant: attributes.instant === true, timeserieslabels: [label] } }];
    case 'mask':
      return [];
  }
}
