import type { JsonObject } from '../../core/canonical-json.ts';
import type { Annotation, KeypointsAnnotation, MaskAnnotation } from '../../core/labels/annotation.ts';
import { derivedArea, derivedBbox } from './coco-geometry.ts';

/** The Sheaf annotations that make one COCO annotation when written. */
export interface CocoDraft {
  readonly label: string;
  readonly members: Annotation[];
}

/** Kinds COCO has no place for. */
const INEXPRESSIBLE = new Set(['class', 'span', 'range']);

/**
 * Groups an item's annotations back into COCO annotations: members sharing `attributes.group`
 * (and a label) form one, as long as COCO can hold them together (one segmentation — polygons
 * or a mask —, one box, one keypoints list); any other annotation stands alone. Kinds COCO
 * cannot express are counted in `skipped`.
 */
export function cocoDrafts(annotations: readonly Annotation[], skipped: Record<string, number>): CocoDraft[] {
  const drafts: CocoDraft[] = [];
  const byGroup = new Map<string, CocoDraft>();
  for (const annotation of annotations) {
    if (INEXPRESSIBLE.has(annotation.kind)) {
      skipped[annotation.kind] = (skipped[annotation.kind] ?? 0) + 1;
      continue;
    }
    const group = annotation.attributes?.group;
    const key = typeof group === 'number' || typeof group === 'string' ? JSON.stringify(group) : null;
    const open = key === null ? undefined : byGroup.get(key);
    if (open && fits(open, annotation)) {
      open.members.push(annotation);
      continue;
    }
    const draft = { label: annotation.label, members: [annotation] };
    drafts.push(draft);
    if (key !== null && !open) byGroup.set(key, draft);
  }
  return drafts;
}

function fits(draft: CocoDraft, annotation: Annotation): boolean {
  if (draft.label !== annotation.label) return false;
  const has = (kind: Annotation['kind']) => draft.members.some((member) => member.kind === kind);
  switch (annotation.kind) {
    case 'polygon':
      return !has('mask') && !has('box');
    case 'mask':
      return !has('polygon') && !has('mask') && !has('box');
    case 'box':
      return draft.members.every((member) => member.kind === 'keypoints' && !member.box);
    case 'keypoints':
      return !has('keypoints') && !has('box');
    default:
      return false;
  }
}

/**
 * The COCO annotation object of a draft, without `id`, `image_id` and `category_id`: the
 * segmentation, the `bbox` and `area` (as imported when `attributes` kept them, else derived
 * from the geometry), `iscrowd`, keypoints with their count, and the `extra` attributes.
 */
export function cocoAnnotationBody(draft: CocoDraft): JsonObject {
  const { members } = draft;
  const attributes = members[0]!.attributes ?? {};
  const polygons = members.filter((member) => member.kind === 'polygon');
  const mask = members.find((member): member is MaskAnnotation => member.kind === 'mask');
  const keypoints = members.find((member): member is KeypointsAnnotation => member.kind === 'keypoints');
  const keptBbox = attributes.bbox;
  const bbox = isFourNumbers(keptBbox) ? keptBbox : (derivedBbox(members) ?? [0, 0, 0, 0]);
  const area = typeof attributes.area === 'number' ? attributes.area : derivedArea(members, bbox);
  const segmentation = polygons.length > 0 ? polygons.map((polygon) => polygon.points.flat()) : mask ? { size: [...mask.rle.size], counts: typeof mask.rle.counts === 'string' ? mask.rle.counts : [...mask.rle.counts] } : [];
  return {
    segmentation,
    area,
    bbox: [...bbox],
    iscrowd: attributes.iscrowd === 1 ? 1 : 0,
    ...(keypoints && { keypoints: keypoints.points.flat(), num_keypoints: keypoints.points.filter((point) => point[2] > 0).length }),
    ...(typeof attributes.extra === 'object' && attributes.extra !== null && !Array.isArray(attributes.extra) && { attributes: attributes.extra }),
  };
}

function isFourNumbers(value: unknown): value is [number, number, number, number] {
  return Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}
