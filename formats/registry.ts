import { InvalidInputError } from '../core/errors.ts';
import { cocoFormat } from './coco/coco-format.ts';
import { csvFormat } from './csv/csv-format.ts';
import type { LabelFormat } from './format.ts';
import { labelStudioFormat } from './label-studio/label-studio-format.ts';
import { cvatFormat } from './cvat/cvat-format.ts';
import { vocFormat } from './voc/voc-format.ts';
import { yoloFormat } from './yolo/yolo-format.ts';

/** Every label interchange format Sheaf reads and writes, by name. */
export const labelFormats: readonly LabelFormat[] = [
  cocoFormat,
  csvFormat,
  labelStudioFormat,
  yoloFormat,
  vocFormat,
  cvatFormat,
];

/**
 * The format called `name` (`coco`, `label-studio`, `csv`, …).
 * @throws InvalidInputError (field `format`) naming the known formats when there is none by that name.
 */
export function labelFormat(name: string): LabelFormat {
  const format = labelFormats.find((candidate) => candidate.name === name);
  if (format) return format;
  const known = labelFormats.map((candidate) => candidate.name).join(', ');
  throw new InvalidInputError('format', `${JSON.stringify(name)} is not a known format (known: ${known})`);
}
