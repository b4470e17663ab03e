import type { JsonObject } from '../../core/canonical-json.ts';
import { comparePaths } from '../../core/item-path.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { annotationIds } from '../annotation-ids.ts';
import { FormatErrorList } from '../format-errors.ts';
import type { FormatItem, FormatSource, ReadOptions, ReadResult } from '../format.ts';
import { basenameOf, dirnameOf, joinSourcePath, stripExtension } from '../item-paths.ts';
import { insideImage } from '../image-bounds.ts';
import { isImageFile } from '../image-files.ts';
import { readVocObject, type VocBox } from './voc-object.ts';
import { readLabelmap, readSplits } from './voc-lists.ts';
import { childNamed, parseDecimal, parseXmlTree } from '../xml-tree.ts';

const SOURCE = { type: 'import', format: 'voc' } as const;

/**
 * Reads Pascal VOC: the `Annotations/*.xml` of a VOC tree (with `JPEGImages/`, `ImageSets/Main`
 * split lists and `labelmap.txt`), or, without an `Annotations/` folder, every `.xml` file
 * (labelImg's one file per image). Each file is an item at its image's path: `<filename>` in
 * `JPEGImages/`, beside the xml, in `../images/`, or from the root, the first that exists.
 * When the import holds no images at all it is annotation-only (media null, path where the
 * image would be). Images listed in a split but without an xml are items without objects.
 * `meta` is {width, height, split?}; objects become boxes (see `readVocObject`) and their
 * `<part>`s boxes of the part's name with `attributes.part_of` the object's annotation id.
 * Classes come from labelmap.txt (then an object of another class is an error), else in order
 * of appearance. Segmentation PNGs are not read.
 */
export async function readVoc(source: FormatSource, _options: ReadOptions): Promise<ReadResult> {
  const errors = new FormatErrorList();
  const files = await source.list();
  const present = new Set(files);
  const annotationOnly = !files.some(isImageFile);
  const tree = files.some((file) => file.startsWith('Annotations/') && /\.xml$/i.test(file));
  const xmlFiles = files.filter((file) => /\.xml$/i.test(file) && (!tree || file.startsWith('Annotations/')));
  const labelmap = await readLabelmap(source, files, errors);
  const classes = labelmap ? [...labelmap] : [];
  const splits = tree ? await readSplits(source, files) : new Map<string, { split: string; file: string }>();
  const items: FormatItem[] = [];
  const sources = new Map<string, string>();
  const seenIds = new Set<string>();

  const addItem = (item: FormatItem, file: string) => {
    const previous = sources.get(item.path);
    if (previous !== undefined) errors.add(file, `describes the image ${item.path} again (already in ${previous})`);
    sources.set(item.path, file);
    items.push(item);
  };

  for (const file of xmlFiles) {
    const id = stripExtension(tree ? file.slice('Annotations/'.length) : file);
    seenIds.add(id);
    const parsed = parseXmlTree(await source.readText(file));
    if ('problem' in parsed) {
      errors.add(file, parsed.problem.message, { line: parsed.problem.line });
      continue;
    }
    const root = parsed.root;
    if (root.name !== 'annotation') {
      errors.add(file, `not a Pascal VOC annotation: the root element is <${root.name}>, not <annotation>`);
      continue;
    }
    const filename = childNamed(root, 'filename')?.text || (tree ? findImage(`JPEGImages/${id}`, files) : undefined);
    if (!filename) {
      errors.add(file, 'no <filename> naming the image');
      continue;
    }
    const candidates = mediaCandidates(file, filename, tree);
    const found = candidates.find((candidate) => present.has(candidate));
    if (found === undefined && !annotationOnly) {
      errors.add(file, `image ${filename} is referenced but missing (looked for ${candidates.join(', ')})`);
      continue;
    }
    const size = await sizeOf(root, found ?? null, source, file, errors);
    if (size === undefined) continue;
    const annotations: Annotation[] = [];
    const ids = annotationIds();
    root.children.forEach((element, index) => {
      if (element.name !== 'object') return;
      const object = readVocObject(element);
      if (typeof object === 'string') return errors.add(file, object, { entry: `object[${index}]` });
      if (labelmap && !labelmap.includes(object.name)) {
        return errors.add(file, `unknown class ${object.name} (not in labelmap.txt)`, { entry: `object[${index}]` });
      }
      for (const box of [object.box, ...object.parts.map((part) => part.box)]) {
        if (size && !boxInside(box, size)) return errors.add(file, `object ${object.name}: box ${JSON.stringify(box)} is outside the ${size.width}×${size.height} image`, { entry: `object[${index}]` });
      }
      const objectId = ids.next();
      const hasAttributes = Object.keys(object.attributes).length > 0;
      annotations.push({ id: objectId, kind: 'box', label: object.name, box: object.box, source: SOURCE, ...(hasAttributes && { attributes: object.attributes }) });
      if (!classes.includes(object.name)) classes.push(object.name);
      for (const part of object.parts) {
        annotations.push({ id: ids.next(), kind: 'box', label: part.name, box: part.box, source: SOURCE, attributes: { part_of: objectId } });
        if (!classes.includes(part.name)) classes.push(part.name);
      }
    });
    const path = found ?? candidates[0]!;
    const split = splits.get(id)?.split;
    const meta: JsonObject = { ...size, ...(split !== undefined && { split }) };
    addItem({ path, media: found ?? null, meta, annotations }, file);
  }

  for (const [id, { split, file }] of splits) {
    if (seenIds.has(id)) continue;
    const image = findImage(`JPEGImages/${id}`, files);
    if (image === undefined) {
      errors.add(file, `image ${id} is listed but has neither Annotations/${id}.xml nor an image in JPEGImages/`);
      continue;
    }
    const size = await sizeOf(null, image, source, file, errors);
    if (size === undefined) continue;
    addItem({ path: image, media: image, meta: { ...size, split }, annotations: [] }, file);
  }

  if (xmlFiles.length === 0 && errors.size === 0) errors.add('.', 'no annotation files: expected Annotations/*.xml or labelImg .xml files');
  items.sort((a, b) => comparePaths(a.path, b.path));
  return { items: errors.size > 0 ? [] : items, classes, errors: errors.toArray() };
}

/** Where the image named by `<filename>` may be, most likely first. */
function mediaCandidates(file: string, filename: string, tree: boolean): string[] {
  const dir = dirnameOf(file);
  const beside = [dir, filename];
  const inImages = [dir, '..', 'images', filename];
  const orders = tree
    ? [['JPEGImages', filename], [filename]]
    : basenameOf(dir).toLowerCase() === 'annotations'
      ? [inImages, beside, [filename]]
      : [beside, inImages, [filename]];
  const candidates: string[] = [];
  for (const parts of orders) {
    try {
      const path = joinSourcePath(...parts);
      if (!candidates.includes(path)) candidates.push(path);
    } catch {
      // A `..` above the root, or a name that is not a valid path: not a place to look.
    }
  }
  return candidates;
}

function findImage(stem: string, files: readonly string[]): string | undefined {
  return files.find((file) => stripExtension(file) === stem && isImageFile(file));
}

type Size = { width: number; height: number } | null;

/** The image size from `<size>`, else from the image; null when neither is known; undefined after an error. */
async function sizeOf(
  root: import('../xml-tree.ts').XmlElement | null,
  image: string | null,
  source: FormatSource,
  file: string,
  errors: FormatErrorList,
): Promise<Size | undefined> {
  const element = root && childNamed(root, 'size');
  if (element) {
    const width = parseDecimal(childNamed(element, 'width')?.text ?? '');
    const height = parseDecimal(childNamed(element, 'height')?.text ?? '');
    if (width !== null && height !== null && width > 0 && height > 0) return { width, height };
  }
  if (image === null) return null;
  try {
    return await source.imageSize(image);
  } catch (error) {
    errors.addThrown(file, error);
    return undefined;
  }
}

function boxInside([x, y, w, h]: VocBox, size: { width: number; height: number }): boolean {
  return insideImage(x, y, size.width, size.height) && insideImage(x + w, y + h, size.width, size.height);
}
