import type { FormatItem, FormatSink, WriteOptions, WriteSummary } from '../format.ts';
import { cornersOfBox } from '../box-corners.ts';
import { csvLine } from './csv-records.ts';

type OpenFile = Awaited<ReturnType<FormatSink['openFile']>>;

/** Where the writer puts class labels and boxes (read back in this order: `boxes.csv` sorts first). */
export const CSV_LABELS_FILE = 'labels.csv';
export const CSV_BOXES_FILE = 'boxes.csv';

/**
 * Writes items as CSV, streaming row by row: class annotations to `labels.csv`
 * (`path,label`, one row per class), boxes to `boxes.csv`
 * (`filename,width,height,class,xmin,ymin,xmax,ymax`, width and height from the item's meta
 * when known), each path being the item's path. An item with neither gets a `labels.csv` row
 * with an empty label, so it comes back as labeled with nothing. A file is written only when
 * it has rows; kinds CSV cannot hold are counted in `skipped`. With `includeMedia`, each
 * item's media is copied to its own path.
 */
export async function writeCsv(items: AsyncIterable<FormatItem>, sink: FormatSink, options: WriteOptions): Promise<WriteSummary> {
  const open = new Map<string, OpenFile>();
  const fileFor = async (path: string, header: string[]) => {
    let file = open.get(path);
    if (!file) {
      file = await sink.openFile(path);
      await file.write(csvLine(header));
      open.set(path, file);
    }
    return file;
  };
  const skipped: Record<string, number> = {};
  let itemCount = 0;
  let annotationCount = 0;

  for await (const item of items) {
    let labels = '';
    let boxes = '';
    const { width, height } = item.meta;
    const size = typeof width === 'number' && typeof height === 'number' ? [width, height] : ['', ''];
    for (const annotation of item.annotations) {
      if (annotation.kind === 'class') labels += csvLine([item.path, annotation.label]);
      else if (annotation.kind === 'box') boxes += csvLine([item.path, ...size, annotation.label, ...cornersOfBox(annotation.box)]);
      else {
        skipped[annotation.kind] = (skipped[annotation.kind] ?? 0) + 1;
        continue;
      }
      annotationCount++;
    }
    if (labels === '' && boxes === '') labels = csvLine([item.path, '']);
    if (boxes) await (await fileFor(CSV_BOXES_FILE, ['filename', 'width', 'height', 'class', 'xmin', 'ymin', 'xmax', 'ymax'])).write(boxes);
    if (labels) await (await fileFor(CSV_LABELS_FILE, ['path', 'label'])).write(labels);
    if (options.includeMedia) await sink.copyMedia(item.path, item.path);
    itemCount++;
  }
  if (open.size === 0) await fileFor(CSV_LABELS_FILE, ['path', 'label']);
  for (const file of open.values()) await file.close();
  return { items: itemCount, annotations: annotationCount, skipped };
}
