import type { LabelFormat } from '../format.ts';
import { readYolo } from './read-yolo.ts';
import { writeYolo, type YoloWriteOptions } from './write-yolo.ts';

/**
 * YOLO label files: Darknet (obj.data, obj.names, train.txt, obj_train_data/), Ultralytics
 * (data.yaml, images/<split>/, labels/<split>/) and Roboflow (<split>/images, <split>/labels).
 * Boxes, polygons, oriented boxes and keypoints; coordinates normalized to the image size.
 */
export const yoloFormat: LabelFormat = {
  name: 'yolo',
  description: 'YOLO (Darknet, Ultralytics, Roboflow): one text file of normalized boxes, polygons or keypoints per image',
  read: readYolo,
  write: (items, sink, options) => writeYolo(items, sink, options as YoloWriteOptions),
};
