import { InvalidInputError } from '../../core/errors.ts';
import type { FormatItem, FormatSink, WriteOptions, WriteSummary } from '../format.ts';
import { cocoAnnotationBody, cocoDrafts } from './coco-annotation-out.ts';
import { CocoCategoryIds } from './coco-category-ids.ts';
import { cocoPlacement } from './coco-layout.ts';

type OpenFile = Awaited<ReturnType<FormatSink['openFile']>>;

/** One annotation file being written: its annotations stream out, its image entries wait for the end. */
interface CocoOutFile {
  readonly stream: OpenFile;
  /** Image entries, one short JSON text per item: COCO puts them in the same object as the annotations, so one of the two lists must wait. */
  readonly images: string[];
  annotations: number;
}

const IMAGES_PER_WRITE = 1000;

/**
 * Writes items as COCO: `annotations/instances_<subset>.json` for items under
 * `images/<subset>/`, `annotations/instances.json` for the others (see coco-layout.ts), and,
 * with `includeMedia`, each item's media at its own path. Annotations stream to the sink as
 * items arrive; only one short image entry per item is held until the file ends. Category ids
 * come from `CocoCategoryIds`; class, span and range annotations are counted in `skipped`.
 * @throws InvalidInputError when an item's meta has no positive `width` and `height` (COCO
 *   requires them, and a writer cannot open the media to find them).
 */
export async function writeCoco(items: AsyncIterable<FormatItem>, sink: FormatSink, options: WriteOptions): Promise<WriteSummary> {
  const categories = new CocoCategoryIds(options.classes);
  const files = new Map<string, CocoOutFile>();
  const skipped: Record<string, number> = {};
  let itemCount = 0;
  let annotationCount = 0;

  const fileFor = async (path: string): Promise<CocoOutFile> => {
    let file = files.get(path);
    if (!file) {
      const stream = await sink.openFile(path);
      await stream.write('{"info":{"description":"Exported by Sheaf"},"licenses":[],"annotations":[');
      file = { stream, images: [], annotations: 0 };
      files.set(path, file);
    }
    return file;
  };

  for await (const item of items) {
    const { width, height } = item.meta;
    if (typeof width !== 'number' || typeof height !== 'number' || !(width > 0) || !(height > 0))
      throw new InvalidInputError('item', `${item.path} has no width and height in its meta, which COCO requires`);
    const placement = cocoPlacement(item.path);
    const file = await fileFor(placement.file);
    const imageId = file.images.length + 1;
    file.images.push(JSON.stringify({ id: imageId, file_name: placement.fileName, width, height }));
    let chunk = '';
    for (const draft of cocoDrafts(item.annotations, skipped)) {
      const first = draft.members[0]!;
      const categoryId = categories.idFor(draft.label, first.attributes);
      const keypoints = draft.members.find((member) => member.kind === 'keypoints');
      if (keypoints) categories.noteKeypoints(draft.label, keypoints.attributes);
      const body = { id: ++file.annotations, image_id: imageId, category_id: categoryId, ...cocoAnnotationBody(draft) };
      chunk += (file.annotations > 1 ? ',\n' : '\n') + JSON.stringify(body);
      annotationCount += draft.members.length;
    }
    if (chunk) await file.stream.write(chunk);
    if (options.includeMedia) await sink.copyMedia(item.path, item.path);
    itemCount++;
  }

  if (files.size === 0) await fileFor(cocoPlacement('').file);
  const table = JSON.stringify(categories.table());
  for (const file of files.values()) {
    await file.stream.write('\n],"images":[');
    for (let i = 0; i < file.images.length; i += IMAGES_PER_WRITE)
      await file.stream.write((i > 0 ? ',' : '') + '\n' + file.images.slice(i, i + IMAGES_PER_WRITE).join(',\n'));
    await file.stream.write(`\n],"categories":${table}}\n`);
    await file.stream.close();
  }
  return { items: itemCount, annotations: annotationCount, skipped };
}
