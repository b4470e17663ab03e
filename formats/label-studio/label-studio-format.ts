import type { LabelFormat } from '../format.ts';
import { readLabelStudio } from './read-label-studio.ts';
import { writeLabelStudio } from './write-label-studio.ts';

/**
 * Label Studio JSON export: a list of tasks whose annotation results are rectangles, polygons
 * and keypoints (in percent of the image), choices, text spans and time series ranges. See
 * ls-result.ts for how each result maps to Sheaf annotations.
 */
export const labelStudioFormat: LabelFormat = {
  name: 'label-studio',
  description: 'Label Studio JSON export: rectangles, polygons, keypoints, choices, text spans and time series ranges',
  read: (source) => readLabelStudio(source),
  write: (items, sink, options) => writeLabelStudio(items, sink, options),
};
