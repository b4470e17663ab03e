import type { FormatItem, FormatSink, WriteOptions, WriteSummary } from '../format.ts';
import { mediaKeyOf } from './ls-media.ts';
import { lsResults } from './ls-result-out.ts';

/** The file a Label Studio export is written to. */
export const LABEL_STUDIO_FILE = 'tasks.json';

/**
 * Writes items as one Label Studio JSON file, streaming one task per item: `data` names the
 * media by the item's path (under `image`, `text`, `timeseries` or `audio` by extension; with
 * `includeMedia` the media is copied there, to be served through Label Studio's local file
 * storage), and one annotation holds the results. Masks, which Label Studio cannot take as
 * COCO RLE, are counted in `skipped`.
 * @throws InvalidInputError when an item with image geometry has no width and height in its meta.
 */
export async function writeLabelStudio(items: AsyncIterable<FormatItem>, sink: FormatSink, options: WriteOptions): Promise<WriteSummary> {
  const file = await sink.openFile(LABEL_STUDIO_FILE);
  await file.write('[');
  const skipped: Record<string, number> = {};
  let itemCount = 0;
  let annotationCount = 0;
  for await (const item of items) {
    const key = mediaKeyOf(item.path);
    const { width, height } = item.meta;
    const size = key === 'image' && typeof width === 'number' && typeof height === 'number' ? { width, height } : null;
    const result = [];
    for (const annotation of item.annotations) {
      const regions = lsResults(annotation, item.path, key, size);
      if (annotation.kind === 'mask') skipped.mask = (skipped.mask ?? 0) + 1;
      else annotationCount++;
      result.push(...regions);
    }
    itemCount++;
    const task = { id: itemCount, data: { [key]: item.path }, annotations: [{ id: itemCount, result }] };
    await file.write((itemCount > 1 ? ',\n' : '\n') + JSON.stringify(task));
    if (options.includeMedia) await sink.copyMedia(item.path, item.path);
  }
  await file.write('\n]\n');
  await file.close();
  return { items: itemCount, annotations: annotationCount, skipped };
}
