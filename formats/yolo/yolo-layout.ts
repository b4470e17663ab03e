import type { FormatErrorList } from '../format-errors.ts';
import type { FormatSource } from '../format.ts';
import { dirnameOf, stripExtension } from '../item-paths.ts';
import { isImageFile } from '../image-files.ts';
import { resolveDarknetPath, type YoloConfig } from './yolo-config.ts';

/** One image of a YOLO dataset: its path, its label file (null: none, so no objects), its split. */
export interface YoloEntry {
  readonly image: string;
  readonly label: string | null;
  readonly split?: string;
}

/**
 * Finds the images of a YOLO dataset and their label files.
 * - Darknet `obj.data`: the images its lists name (`data/obj_train_data/1.jpg`, found by
 *   `resolveDarknetPath`), the split being the list's key; labels beside the images.
 * - Otherwise (Ultralytics, Roboflow, Darknet with `images/` + `labels/`): every image under a
 *   folder named `images`; its label file is at the same path with that folder replaced by
 *   `labels` and the extension by `.txt` (Ultralytics' rule); the split is the folder after
 *   `images/` (`images/train/a.jpg`) or else the one before it (`train/images/a.jpg`).
 * - Without either: images in Darknet's `obj_<split>_data/` folders, labels beside them.
 * An image without a label file has no objects (an Ultralytics background image). Listed
 * images that are missing, and label files whose image is missing, are errors.
 */
export async function findYoloEntries(
  source: FormatSource,
  files: readonly string[],
  config: YoloConfig,
  errors: FormatErrorList,
): Promise<YoloEntry[]> {
  const present = new Set(files);
  const labelOf = (path: string) => {
    const label = `${stripExtension(path)}.txt`;
    return present.has(label) ? label : null;
  };
  if (config.lists.length > 0) {
    const entries = new Map<string, YoloEntry>();
    for (const { split, file } of config.lists) {
      for await (const { line, text } of source.lines(file)) {
        const value = text.trim();
        if (value === '') continue;
        const image = resolveDarknetPath(value, dirnameOf(file), present);
        if (image === null) errors.add(file, `image ${value} is listed but not in the import`, { line });
        else if (entries.has(image)) errors.add(file, `image ${value} is listed twice`, { line });
        else entries.set(image, { image, label: labelOf(image), split });
      }
    }
    return [...entries.values()];
  }

  const entries: YoloEntry[] = [];
  const claimed = new Set<string>();
  for (const image of files) {
    const segments = image.split('/');
    const at = segments.lastIndexOf('images', segments.length - 2);
    if (!isImageFile(image)) continue;
    if (at < 0) {
      // Darknet's own folders (`obj_train_data/1.jpg`, label beside it) without an obj.data.
      const darknet = segments.length === 2 ? /^obj_(.+)_data$/.exec(segments[0]!) : null;
      if (darknet) entries.push({ image, label: labelOf(image), split: darknet[1]! });
      continue;
    }
    const labelSegments = [...segments];
    labelSegments[at] = 'labels';
    const labelPath = `${stripExtension(labelSegments.join('/'))}.txt`;
    const label = present.has(labelPath) ? labelPath : null;
    if (label !== null && claimed.has(label)) {
      errors.add(image, `two images share the label file ${label}`);
      continue;
    }
    if (label !== null) claimed.add(label);
    const split = at + 2 < segments.length ? segments[at + 1] : at > 0 ? segments[at - 1] : undefined;
    entries.push({ image, label, ...(split !== undefined && { split }) });
  }
  for (const file of files) {
    const segments = file.split('/');
    if (!file.endsWith('.txt') || segments.lastIndexOf('labels', segments.length - 2) < 0 || claimed.has(file)) continue;
    errors.add(file, 'label file without an image: expected the same path under images/ with an image extension');
  }
  if (entries.length === 0 && errors.size === 0) {
    errors.add('.', 'no images: expected images under an images/ folder (images/train/…, train/images/…), in obj_<split>_data/ folders, or in the lists of obj.data');
  }
  return entries;
}
