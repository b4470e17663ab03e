import type { JsonObject } from '../../core/canonical-json.ts';
import { comparePaths } from '../../core/item-path.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { annotationIds } from '../annotation-ids.ts';
import { FormatErrorList } from '../format-errors.ts';
import type { FormatItem, FormatSource, ReadOptions, ReadResult } from '../format.ts';
import { readYoloConfig } from './yolo-config.ts';
import { findYoloEntries } from './yolo-layout.ts';
import { parseYoloLine } from './yolo-line.ts';

/**
 * Reads a YOLO dataset (Darknet, Ultralytics or Roboflow layout; see `readYoloConfig` and
 * `findYoloEntries`). Each image becomes an item at its own path with `meta` {width, height,
 * split?}; each label line an annotation (see `parseYoloLine`), ids `a1`, `a2`, … in line order.
 * Image sizes come from the images, so a YOLO import always carries its media.
 */
export async function readYolo(source: FormatSource, options: ReadOptions): Promise<ReadResult> {
  const errors = new FormatErrorList();
  const files = await source.list();
  const config = await readYoloConfig(source, files, options, errors);
  if (!config) return { items: [], classes: [], errors: errors.toArray() };
  const entries = await findYoloEntries(source, files, config, errors);
  const items: FormatItem[] = [];
  for (const entry of entries) {
    let size: { width: number; height: number };
    try {
      size = await source.imageSize(entry.image);
    } catch (error) {
      errors.addThrown(entry.image, error);
      continue;
    }
    const annotations: Annotation[] = [];
    if (entry.label !== null) {
      const ids = annotationIds();
      for await (const { line, text } of source.lines(entry.label)) {
        if (text.trim() === '') continue;
        const result = parseYoloLine(text, { config, ...size });
        if ('error' in result) errors.add(entry.label, result.error, { line });
        else annotations.push({ id: ids.next(), ...result.annotation } as Annotation);
      }
    }
    const meta: JsonObject = { width: size.width, height: size.height, ...(entry.split !== undefined && { split: entry.split }) };
    items.push({ path: entry.image, media: entry.image, meta, annotations });
  }
  items.sort((a, b) => comparePaths(a.path, b.path));
  return { items: errors.size > 0 ? [] : items, classes: config.classes, errors: errors.toArray() };
}
