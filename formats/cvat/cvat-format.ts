import type { LabelFormat } from '../format.ts';
import { readCvat } from './read-cvat.ts';
import { writeCvat } from './write-cvat.ts';

/** CVAT for images 1.1 XML: task and project exports (with subsets), boxes, polygons, polylines, points, tags, masks. */
export const cvatFormat: LabelFormat = {
  name: 'cvat',
  description: 'CVAT for images 1.1 XML: boxes, polygons, polylines, points, tags and masks of every image in one file',
  read: readCvat,
  write: writeCvat,
};
