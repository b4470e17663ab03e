import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { comparePaths } from '../../core/item-path.ts';
import { annotationIds, type AnnotationIds } from '../annotation-ids.ts';
import { FormatErrorList } from '../format-errors.ts';
import type { FormatItem, FormatSource, ReadResult } from '../format.ts';
import type { ImageSize } from '../image-bounds.ts';
import { importedFrom } from '../import-source.ts';
import { isJsonObject, parseJsonText } from '../json-text.ts';
import { cocoMembers } from './coco-annotation.ts';
import { CocoCategoryTable } from './coco-categories.ts';
import { cocoAnnotationFiles, imageCandidates } from './coco-layout.ts';

/** One image of the import, found on disk, collecting its annotations. */
interface CocoImage {
  readonly path: string;
  readonly file: string;
  readonly size: ImageSize;
  readonly annotations: Annotation[];
  readonly ids: AnnotationIds;
  ordinal: number;
}

/**
 * Reads COCO annotation files (instances, person keypoints) and the images they name. Several
 * files (train and val) make one import; their categories must agree. Each image becomes the
 * item at the path where its file was found (see coco-layout.ts) with `width`/`height` in its
 * meta; an image with no annotations becomes a labeled item with nothing marked.
 * Problems (malformed JSON with its line, unknown image or category ids, duplicate image ids
 * or paths, missing images, geometry outside the image) are all listed; none throws.
 */
export async function readCoco(source: FormatSource): Promise<ReadResult> {
  const errors = new FormatErrorList();
  const categories = new CocoCategoryTable();
  const files = cocoAnnotationFiles(await source.list());
  if (files.length === 0) errors.add('.', 'no COCO annotation file (.json) found');
  const documents: { file: string; document: JsonObject }[] = [];
  for (const file of files) {
    const parsed = parseJsonText(await source.readText(file));
    if (!parsed.ok) {
      errors.add(file, parsed.message, { line: parsed.line });
      continue;
    }
    const document = parsed.value;
    if (!isJsonObject(document) || !Array.isArray(document.images) || !Array.isArray(document.annotations)) {
      errors.add(file, 'is not a COCO annotation file: expects an object with "images", "annotations" and "categories" lists');
      continue;
    }
    categories.addAll(file, document.categories, errors);
    documents.push({ file, document });
  }

  const items = new Map<string, CocoImage>();
  for (const { file, document } of documents) {
    const images = await readImages(file, document.images as JsonValue[], source, items, errors);
    readAnnotations(file, document.annotations as JsonValue[], images, categories, errors);
  }

  const sorted = [...items.values()].sort((a, b) => comparePaths(a.path, b.path));
  return {
    items: sorted.map((image): FormatItem => ({ path: image.path, media: image.path, meta: { width: image.size.width, height: image.size.height }, annotations: image.annotations })),
    classes: categories.classes(),
    errors: errors.toArray(),
  };
}

/** The images of one file by id; each is also added to `items` by path. */
// An image id whose entry has a problem maps to null: its annotations are then skipped
// without a second error each.
async function readImages(file: string, raw: readonly JsonValue[], source: FormatSource, items: Map<string, CocoImage>, errors: FormatErrorList): Promise<Map<number, CocoImage | null>> {
  const byId = new Map<number, CocoImage | null>();
  for (const [index, image] of raw.entries()) {
    const entry = `images[${index}]`;
    if (!isJsonObject(image)) {
      errors.add(file, 'an image must be an object', { entry });
      continue;
    }
    const { id, file_name: fileName, width, height } = image;
    if (!Number.isSafeInteger(id)) {
      errors.add(file, 'image id must be an integer', { entry });
      continue;
    }
    const where = { entry: `image id=${id}` };
    if (byId.has(id as number)) {
      errors.add(file, `duplicate image id ${id}`, where);
      continue;
    }
    byId.set(id as number, null);
    if (typeof fileName !== 'string' || fileName === '') {
      errors.add(file, 'image has no file_name', where);
      continue;
    }
    if (!isPositiveNumber(width) || !isPositiveNumber(height)) {
      errors.add(file, `image ${fileName} has no valid width and height`, where);
      continue;
    }
    let candidates: string[];
    try {
      candidates = imageCandidates(file, fileName);
    } catch (error) {
      errors.addThrown(file, error, where);
      continue;
    }
    let path: string | undefined;
    for (const candidate of candidates) if (await source.exists(candidate)) { path = candidate; break; }
    if (path === undefined) {
      errors.add(file, `image ${fileName} is missing (looked for ${candidates.join(', ')})`, where);
      continue;
    }
    const other = items.get(path);
    if (other) {
      errors.add(file, `image ${path} is listed twice${other.file === file ? '' : ` (also in ${other.file})`}`, where);
      continue;
    }
    const found: CocoImage = { path, file, size: { width, height }, annotations: [], ids: annotationIds(), ordinal: 0 };
    byId.set(id as number, found);
    items.set(path, found);
  }
  return byId;
}

function readAnnotations(file: string, raw: readonly JsonValue[], images: Map<number, CocoImage | null>, categories: CocoCategoryTable, errors: FormatErrorList): void {
  const source = importedFrom('coco');
  for (const [index, annotation] of raw.entries()) {
    const entry = `annotations[${index}]`;
    if (!isJsonObject(annotation)) {
      errors.add(file, 'an annotation must be an object', { entry });
      continue;
    }
    const image = typeof annotation.image_id === 'number' ? images.get(annotation.image_id) : undefined;
    const category = categories.get(annotation.category_id);
    if (image === null) continue;
    if (!image) errors.add(file, `unknown image id ${JSON.stringify(annotation.image_id ?? null)}`, { entry });
    if (!category) errors.add(file, `unknown category id ${JSON.stringify(annotation.category_id ?? null)}`, { entry });
    if (!image || !category) continue;
    image.ordinal++;
    const members = cocoMembers(annotation, { category, image: image.size, ordinal: image.ordinal, source, nextId: () => image.ids.next() });
    if (members.length > 0 && typeof members[0] === 'string') for (const problem of members as string[]) errors.add(file, problem, { entry });
    else image.annotations.push(...(members as Annotation[]));
  }
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
