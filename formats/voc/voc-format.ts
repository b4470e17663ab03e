import type { LabelFormat } from '../format.ts';
import { readVoc } from './read-voc.ts';
import { writeVoc } from './write-voc.ts';

/** Pascal VOC XML, one file per image: VOC trees (Annotations/, JPEGImages/, ImageSets/) and labelImg files. */
export const vocFormat: LabelFormat = {
  name: 'voc',
  description: 'Pascal VOC XML (and labelImg): one file of boxes per image, with VOC split lists',
  read: readVoc,
  write: writeVoc,
};
