import { basenameOf, dirnameOf, joinSourcePath } from '../item-paths.ts';

/**
 * Where COCO keeps things. The usual layout is `annotations/<task>_<subset>.json` with the
 * images of each subset in `images/<subset>/` (or `<subset>/`, as COCO 2017's `train2017/`);
 * an image's `file_name` is relative to that folder. An item's path is where its image was
 * found, so `instances_train.json` naming `a.jpg` gives the item `images/train/a.jpg`.
 */

const TASK_PREFIXES = ['person_keypoints_', 'instances_', 'captions_', 'image_info_', 'panoptic_', 'labels_'];

/** The annotation files of an import: JSON files in an `annotations/` folder, or else every JSON file. */
export function cocoAnnotationFiles(files: readonly string[]): string[] {
  const json = files.filter((file) => file.toLowerCase().endsWith('.json'));
  const inFolder = json.filter((file) => dirnameOf(file).split('/').includes('annotations'));
  return inFolder.length > 0 ? inFolder : json;
}

/** The subset an annotation file is for (`instances_val2017.json` → `val2017`), or null (`instances.json`, `coco.json`). */
export function subsetOf(file: string): string | null {
  const stem = basenameOf(file).replace(/\.json$/i, '');
  for (const prefix of TASK_PREFIXES) if (stem.startsWith(prefix) && stem.length > prefix.length) return stem.slice(prefix.length);
  const underscore = stem.lastIndexOf('_');
  return underscore > 0 && underscore < stem.length - 1 ? stem.slice(underscore + 1) : null;
}

/**
 * Where an image of `file` may be, most specific first: under `images/<subset>/`, `<subset>/`,
 * `images/`, then as named (for a file of no subset: as named, then under `images/`), all relative to the dataset's root (the folder holding
 * `annotations/`, or the annotation file's own folder).
 * @throws InvalidPathError when `fileName` leaves the dataset (absolute, `..` too far, …).
 */
export function imageCandidates(file: string, fileName: string): string[] {
  const folder = dirnameOf(file);
  const root = basenameOf(folder) === 'annotations' ? dirnameOf(folder) : folder;
  const subset = subsetOf(file);
  const bases = subset ? [`images/${subset}`, subset, 'images', ''] : ['', 'images'];
  // Validates the name as given first, so a hostile name is refused whatever the candidates.
  const asNamed = joinSourcePath(root, fileName);
  return [...new Set([...bases.map((base) => joinSourcePath(root, base, fileName)), asNamed])];
}

/** Where the writer puts an item: its annotation file and its `file_name` there. */
export interface CocoPlacement {
  readonly file: string;
  readonly fileName: string;
}

/**
 * Items under `images/<subset>/` go to `annotations/instances_<subset>.json` named relative to
 * that folder; all others to `annotations/instances.json` under their full path. Reading the
 * export finds each image at the item's own path, so the round trip keeps paths.
 */
export function cocoPlacement(itemPath: string): CocoPlacement {
  const match = /^images\/([^/]+)\/(.+)$/.exec(itemPath);
  if (match && subsetOf(`instances_${match[1]}.json`) === match[1]) return { file: `annotations/instances_${match[1]}.json`, fileName: match[2]! };
  return { file: 'annotations/instances.json', fileName: itemPath };
}
