import { InvalidInputError } from '../core/errors.ts';
import type { Transform } from '../core/transforms/transform.ts';
import { audioMono } from './audio/mono.ts';
import { audioResample } from './audio/resample.ts';
import { audioSpectrogram } from './audio/spectrogram.ts';
import { datasetDedupe } from './dataset/dedupe.ts';
import { datasetFilter } from './dataset/filter.ts';
import { datasetNearDuplicates } from './dataset/near-duplicates.ts';
import { datasetRebalance } from './dataset/rebalance.ts';
import { datasetSplit } from './dataset/split.ts';
import { imageConvert } from './image/convert.ts';
import { imageGrayscale } from './image/grayscale.ts';
import { imageNormalizeOrientation } from './image/normalize-orientation.ts';
import { imageResize } from './image/resize.ts';
import { imageRgb } from './image/rgb.ts';
import { textNormalize } from './text/normalize.ts';
import { textStripHtml } from './text/strip-html.ts';
import { textTokenize } from './text/tokenize.ts';
import { timeseriesMinmax } from './timeseries/minmax.ts';
import { timeseriesStandardize } from './timeseries/standardize.ts';
import { videoFrames } from './video/frames.ts';

/** Every built-in transform, in name order; names are unique. */
export const BUILT_IN_TRANSFORMS: readonly Transform[] = Object.freeze([
  audioMono,
  audioResample,
  audioSpectrogram,
  datasetDedupe,
  datasetFilter,
  datasetNearDuplicates,
  datasetRebalance,
  datasetSplit,
  imageConvert,
  imageGrayscale,
  imageNormalizeOrientation,
  imageResize,
  imageRgb,
  textNormalize,
  textStripHtml,
  textTokenize,
  timeseriesMinmax,
  timeseriesStandardize,
  videoFrames,
] as Transform[]);

const BY_NAME = new Map(BUILT_IN_TRANSFORMS.map((transform) => [transform.name, transform]));

/**
 * The built-in transform called `name`.
 * @throws InvalidInputError('transform') naming the known transforms when there is none
 */
export function transformNamed(name: string): Transform {
  const transform = BY_NAME.get(name);
  if (!transform) throw new InvalidInputError('transform', `unknown: ${JSON.stringify(name)} (known: ${[...BY_NAME.keys()].join(', ')})`);
  return transform;
}
