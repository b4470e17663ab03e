import { stringify } from 'yaml';
import type { JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Annotation, KeypointsAnnotation } from '../../core/labels/annotation.ts';
import type { FormatItem, FormatSink, WriteOptions, WriteSummary } from '../format.ts';
import { stripExtension } from '../item-paths.ts';
import { toFraction } from './yolo-rounding.ts';

/** YOLO writing options: the folder layout (default `ultralytics`). */
export interface YoloWriteOptions extends WriteOptions {
  /**
   * `ultralytics`: data.yaml, images/<split>/…, labels/<split>/… (boxes, polygons, oriented
   * boxes, keypoints). `darknet`: obj.data, obj.names, <split>.txt, obj_<split>_data/ with
   * images and labels side by side; Darknet trains detectors only, so only boxes are written.
   */
  readonly layout?: 'ultralytics' | 'darknet';
}

type Box = readonly [number, number, number, number];

/**
 * Writes items as a YOLO dataset. An item keeps its path when it is already in the layout's
 * place (`images/train/a.jpg`, `train/images/a.jpg`; `obj_train_data/a.jpg` in both layouts), else
 * goes under `images/<meta.split>/` (`obj_<meta.split or train>_data/` for Darknet). Every item
 * gets a label file (empty: no objects). Coordinates are fractions with 6 decimals, class ids
 * the positions in `options.classes`; annotations of other classes or kinds are counted in
 * `skipped`. data.yaml says `task: segment` when a 4-point polygon that is not an oriented box
 * was written (oriented boxes of that export then read back as plain polygons and are counted
 * under `skipped.obb`), and `kpt_shape` from the first keypoints (keypoints with another count
 * are skipped; keypoints without a box get the box around their labeled points).
 * @throws InvalidInputError when an item with annotations has no width/height in its meta.
 */
export async function writeYolo(items: AsyncIterable<FormatItem>, sink: FormatSink, options: YoloWriteOptions): Promise<WriteSummary> {
  const darknet = options.layout === 'darknet';
  const classIds = new Map(options.classes.map((name, id) => [name, id]));
  const skipped: Record<string, number> = {};
  const skip = (kind: string) => (skipped[kind] = (skipped[kind] ?? 0) + 1);
  const splitDirs = new Map<string, Set<string>>();
  const lists = new Map<string, Awaited<ReturnType<FormatSink['openFile']>>>();
  let keypointCount: number | undefined;
  let plainQuads = 0;
  let obbs = 0;
  let itemCount = 0;
  let written = 0;

  for await (const item of items) {
    itemCount++;
    const size = sizeOf(item.meta);
    if (!size && item.annotations.length > 0) {
      throw new InvalidInputError('meta', `item ${item.path} has no width and height: YOLO coordinates are fractions of the image size`);
    }
    const { width, height } = size ?? { width: 1, height: 1 };
    const x = (value: number) => toFraction(value, width);
    const y = (value: number) => toFraction(value, height);
    const lines: string[] = [];
    for (const annotation of item.annotations) {
      const id = classIds.get(annotation.label);
      if (id === undefined) {
        skip('unknown class');
        continue;
      }
      const line = lineOf(annotation);
      if (line === null) skip(annotation.kind);
      else {
        lines.push(`${id} ${line}`);
        written++;
      }
    }

    const place = darknet ? darknetPlace(item) : ultralyticsPlace(item);
    await sink.writeFile(place.label, lines.length > 0 ? lines.join('\n') + '\n' : '');
    if (options.includeMedia && item.media !== null) await sink.copyMedia(item.path, place.image);
    if (darknet) {
      let list = lists.get(place.split!);
      if (!list) lists.set(place.split!, (list = await sink.openFile(`${place.split}.txt`)));
      await list.write(`data/${place.image}\n`);
    } else if (place.split !== undefined) {
      let dirs = splitDirs.get(place.split);
      if (!dirs) splitDirs.set(place.split, (dirs = new Set()));
      dirs.add(place.dir);
    }

    function lineOf(annotation: Annotation): string | null {
      if (annotation.kind === 'box') return boxFields(annotation.box);
      if (darknet) return null;
      if (annotation.kind === 'polygon') {
        if (annotation.points.length === 4) {
          if (annotation.attributes?.obb === true) obbs++;
          else plainQuads++;
        }
        return annotation.points.map(([px, py]) => `${x(px)} ${y(py)}`).join(' ');
      }
      if (annotation.kind === 'keypoints') {
        keypointCount ??= annotation.points.length;
        if (annotation.points.length !== keypointCount) return null;
        const box = annotation.box ?? boxAround(annotation);
        return `${boxFields(box)} ${annotation.points.map(([px, py, v]) => `${x(px)} ${y(py)} ${v}`).join(' ')}`;
      }
      return null;
    }

    function boxFields([bx, by, bw, bh]: Box): string {
      return `${x(bx + bw / 2)} ${y(by + bh / 2)} ${x(bw)} ${y(bh)}`;
    }
  }

  for (const list of lists.values()) await list.close();
  if (darknet) await writeDarknetConfig(sink, options.classes, [...lists.keys()]);
  else {
    const task = plainQuads > 0 ? 'segment' : obbs > 0 ? 'obb' : keypointCount !== undefined ? 'pose' : undefined;
    if (task === 'segment' && obbs > 0) skipped.obb = obbs;
    await sink.writeFile('data.yaml', dataYaml(options.classes, splitDirs, keypointCount, task));
  }
  return { items: itemCount, annotations: written, skipped };
}

interface Place {
  readonly image: string;
  readonly label: string;
  readonly split?: string;
  /** The image folder the split key of data.yaml names. */
  readonly dir: string;
}

function ultralyticsPlace(item: FormatItem): Place {
  // An item of a Darknet tree stays where it is, its label beside it: where a path has no
  // `images` folder, Ultralytics looks for the label next to the image, so the tree trains as
  // it is and reads back with the same item paths.
  const darknet = /^obj_(.+)_data\//.exec(item.path);
  if (darknet) return { image: item.path, label: `${stripExtension(item.path)}.txt`, split: darknet[1]!, dir: `obj_${darknet[1]!}_data` };
  let segments = item.path.split('/');
  let at = segments.lastIndexOf('images', segments.length - 2);
  if (at < 0) {
    const split = typeof item.meta.split === 'string' && item.meta.split !== '' && !item.meta.split.includes('/') ? item.meta.split : undefined;
    segments = ['images', ...(split !== undefined ? [split] : []), ...segments];
    at = 0;
  }
  const labelSegments = [...segments];
  labelSegments[at] = 'labels';
  const image = segments.join('/');
  const label = `${stripExtension(labelSegments.join('/'))}.txt`;
  if (at + 2 < segments.length) return { image, label, split: segments[at + 1]!, dir: segments.slice(0, at + 2).join('/') };
  return { image, label, split: at > 0 ? segments[at - 1]! : '', dir: segments.slice(0, at + 1).join('/') };
}

function darknetPlace(item: FormatItem): Place {
  const own = /^obj_(.+)_data\//.exec(item.path);
  const split = own ? own[1]! : typeof item.meta.split === 'string' && /^[\w.-]+$/.test(item.meta.split) ? item.meta.split : 'train';
  const image = own ? item.path : `obj_${split}_data/${item.path}`;
  return { image, label: `${stripExtension(image)}.txt`, split, dir: '' };
}

/** The box around the labeled points (v > 0) of keypoints that came without one. */
function boxAround(annotation: KeypointsAnnotation): Box {
  const labeled = annotation.points.filter(([, , v]) => v > 0);
  const points = labeled.length > 0 ? labeled : annotation.points;
  const xs = points.map(([px]) => px);
  const ys = points.map(([, py]) => py);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return [left, top, Math.max(...xs) - left, Math.max(...ys) - top];
}

const SPLIT_KEYS: Record<string, 'train' | 'val' | 'test'> = {
  '': 'train',
  train: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  test: 'test',
};

function dataYaml(classes: readonly string[], splitDirs: Map<string, Set<string>>, keypoints: number | undefined, task: string | undefined): string {
  const data: Record<string, unknown> = { path: '.' };
  for (const key of ['train', 'val', 'test'] as const) {
    const dirs = [...splitDirs].filter(([split]) => SPLIT_KEYS[split.toLowerCase()] === key).flatMap(([, set]) => [...set]);
    if (dirs.length > 0) data[key] = dirs.length === 1 ? dirs[0] : dirs.sort();
  }
  data.nc = classes.length;
  data.names = [...classes];
  if (keypoints !== undefined) data.kpt_shape = [keypoints, 3];
  if (task !== undefined) data.task = task;
  // YAML 1.1 quoting, as PyYAML (which Ultralytics uses) would otherwise read a class `yes` as true.
  return stringify(data, { version: '1.1' });
}

async function writeDarknetConfig(sink: FormatSink, classes: readonly string[], splits: readonly string[]): Promise<void> {
  await sink.writeFile('obj.names', classes.map((name) => `${name}\n`).join(''));
  const lines = [`classes = ${classes.length}`, ...splits.map((split) => `${split} = data/${split}.txt`), 'names = data/obj.names', 'backup = backup/'];
  await sink.writeFile('obj.data', lines.join('\n') + '\n');
}

function sizeOf(meta: JsonObject): { width: number; height: number } | null {
  const { width, height } = meta;
  return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 ? { width, height } : null;
}
