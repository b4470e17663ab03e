import type { JsonObject } from '../canonical-json.ts';

/**
 * The annotations of a labeled item: `Item.annotations` holds an `Annotation[]` (an empty array
 * means "labeled: nothing to mark"; `null` means "not labeled yet"). Every importer, exporter,
 * the labeling service and the web UI speak this one shape, so a snapshot's hash covers the
 * same facts whichever way the labels arrived.
 *
 * Geometry is in pixels of the item's image, origin top-left, x to the right, y down; text
 * offsets are UTF-16 code-unit offsets (what a browser's selection gives); series ranges are in
 * the series' own x units. Each annotation carries a `label` (a class name of the project's
 * schema), so `labelsOf` in core/filter/item-labels.ts reads classes from any kind.
 */
export type Annotation =
  | ClassAnnotation
  | BoxAnnotation
  | PolygonAnnotation
  | KeypointsAnnotation
  | MaskAnnotation
  | SpanAnnotation
  | RangeAnnotation;

export type AnnotationKind = Annotation['kind'];

export const ANNOTATION_KINDS: readonly AnnotationKind[] = ['class', 'box', 'polygon', 'keypoints', 'mask', 'span', 'range'];

interface AnnotationBase {
  /** Unique within its item; keeps its identity across edits, reviews and history. */
  readonly id: string;
  /** A class name of the labeling schema. */
  readonly label: string;
  /** Where the annotation came from. Absent for data of unknown origin. */
  readonly source?: AnnotationSource;
  /** A human's decision on a model's proposal (pre-label). */
  readonly review?: ProposalReview;
  /** Format-specific extras kept for a faithful round trip (e.g. COCO `iscrowd`, VOC `difficult`). */
  readonly attributes?: JsonObject;
}

/** The whole item is of this class (single-label: one per item; multi-label: several). */
export interface ClassAnnotation extends AnnotationBase {
  readonly kind: 'class';
}

/** An axis-aligned box: `[x, y, width, height]`. */
export interface BoxAnnotation extends AnnotationBase {
  readonly kind: 'box';
  readonly box: readonly [number, number, number, number];
}

/** A closed polygon: its vertices `[[x, y], …]`, at least three. */
export interface PolygonAnnotation extends AnnotationBase {
  readonly kind: 'polygon';
  readonly points: readonly (readonly [number, number])[];
}

/**
 * Keypoints of one object, in the order of the schema's keypoint names: `[x, y, v]` with the
 * COCO visibility `v` (0 not labeled, 1 labeled but hidden, 2 visible). An optional box frames
 * the object.
 */
export interface KeypointsAnnotation extends AnnotationBase {
  readonly kind: 'keypoints';
  readonly points: readonly (readonly [number, number, number])[];
  readonly box?: readonly [number, number, number, number];
}

/** A COCO run-length-encoded mask (`counts` as in COCO, column-major), for imports; not drawn in the UI. */
export interface MaskAnnotation extends AnnotationBase {
  readonly kind: 'mask';
  readonly rle: { readonly size: readonly [number, number]; readonly counts: string | readonly number[] };
  readonly box?: readonly [number, number, number, number];
}

/** A span of a text item: `[start, end)` in UTF-16 code units. */
export interface SpanAnnotation extends AnnotationBase {
  readonly kind: 'span';
  readonly start: number;
  readonly end: number;
}

/** A range of a time series: `[start, end]` in the series' x units. */
export interface RangeAnnotation extends AnnotationBase {
  readonly kind: 'range';
  readonly start: number;
  readonly end: number;
}

/**
 * Who made an annotation. `time` is ISO 8601 UTC; imports carry no time, so importing the
 * same file twice gives the same snapshot hash.
 */
export type AnnotationSource =
  | { readonly type: 'human'; readonly author: string; readonly time?: string }
  | { readonly type: 'model'; readonly model: string; readonly confidence: number; readonly time?: string }
  | { readonly type: 'import'; readonly format: string };

/** What a human did with a model's proposal: kept it, changed it, or threw it out. */
export interface ProposalReview {
  readonly decision: 'accepted' | 'edited' | 'rejected';
  readonly by: string;
  readonly time?: string;
}
