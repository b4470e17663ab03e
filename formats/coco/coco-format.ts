import type { LabelFormat } from '../format.ts';
import { readCoco } from './read-coco.ts';
import { writeCoco } from './write-coco.ts';

/**
 * COCO object detection, segmentation and keypoints (`instances_*.json`,
 * `person_keypoints_*.json`).
 *
 * How COCO maps to Sheaf annotations, and back:
 * - `bbox` alone → `box`; polygon `segmentation` → one `polygon` per part; RLE → `mask`;
 *   `keypoints` → `keypoints`. Parts of one COCO annotation share `attributes.group`.
 * - Category ids: each annotation keeps its `attributes.categoryId`, and an export gives each
 *   class that id again, so ids survive a round trip even with gaps (1, 2, 4). A category no
 *   annotation uses keeps its name and place in the class list, but is renumbered (its id is
 *   stored nowhere else).
 * - `area` and `bbox` are recomputed on export (polygon area, mask pixels, box area; extent of
 *   the geometry); the file's own value is kept in `attributes` only when it differs, which is
 *   what a faithful round trip needs and no more.
 * - `iscrowd: 1`, a category's `supercategory`, keypoint names and skeleton, and the
 *   annotation's own `attributes` object (`extra`) are kept in `attributes` too.
 * - Image ids and annotation ids are renumbered from 1 in each exported file.
 */
export const cocoFormat: LabelFormat = {
  name: 'coco',
  description: 'COCO JSON: boxes, polygons, RLE masks and keypoints (instances, person_keypoints)',
  read: (source) => readCoco(source),
  write: (items, sink, options) => writeCoco(items, sink, options),
};
