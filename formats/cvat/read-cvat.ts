import type { JsonObject } from '../../core/canonical-json.ts';
import { comparePaths } from '../../core/item-path.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { annotationIds } from '../annotation-ids.ts';
import { FormatErrorList } from '../format-errors.ts';
import type { FormatItem, FormatSource, ReadOptions, ReadResult } from '../format.ts';
import { joinSourcePath } from '../item-paths.ts';
import { isImageFile } from '../image-files.ts';
import { childNamed, childrenNamed, parseDecimal, parseXmlTree, type XmlElement } from '../xml-tree.ts';
import { readCvatShape } from './cvat-shape.ts';

/**
 * Reads CVAT for images 1.1 XML: every `.xml` file at the top of the import (a task export's
 * `annotations.xml`, a project export with `subset` on each image). Classes are the labels of
 * `<meta>` (task, project or job), in order; a shape of another label is an error (without
 * labels in `<meta>`, the labels in order of appearance). Each `<image>` is an item at its
 * media's path: `images/<subset>/<name>`, `images/<name>` or `<name>`, the first that exists
 * (the first, with null media, when the import holds no images); `meta` is {width, height,
 * split: subset}. Shapes are read by `readCvatShape`, ids `a1`, `a2`, … in document order.
 * Video tracks are not supported.
 */
export async function readCvat(source: FormatSource, _options: ReadOptions): Promise<ReadResult> {
  const errors = new FormatErrorList();
  const files = await source.list();
  const present = new Set(files);
  const annotationOnly = !files.some(isImageFile);
  const xmlFiles = files.filter((file) => !file.includes('/') && /\.xml$/i.test(file));
  const items: FormatItem[] = [];
  const sources = new Map<string, string>();
  const classes: string[] = [];
  const declared = new Set<string>();

  for (const file of xmlFiles) {
    const parsed = parseXmlTree(await source.readText(file));
    if ('problem' in parsed) {
      errors.add(file, parsed.problem.message, { line: parsed.problem.line });
      continue;
    }
    const root = parsed.root;
    if (root.name !== 'annotations') {
      errors.add(file, `not a CVAT for images file: the root element is <${root.name}>, not <annotations>`);
      continue;
    }
    const version = childNamed(root, 'version')?.text;
    if (version !== undefined && !/^1(\.\d+)?$/.test(version)) errors.add(file, `CVAT XML version ${version} is not supported (1.1 is)`);
    for (const label of labelsOf(root)) {
      if (!declared.has(label)) classes.push(label);
      declared.add(label);
    }
    for (const track of childrenNamed(root, 'track')) {
      errors.add(file, 'tracks (video annotation) are not supported', { entry: `track id=${track.attributes.id ?? '?'}` });
    }

    for (const image of childrenNamed(root, 'image')) {
      const name = image.attributes.name ?? '';
      const entry = `image id=${image.attributes.id ?? '?'} name=${name}`;
      const subset = image.attributes.subset;
      const candidates = mediaCandidates(name, subset);
      if (candidates.length === 0) {
        errors.add(file, `image name ${JSON.stringify(name)} is not a valid path`, { entry });
        continue;
      }
      const found = candidates.find((candidate) => present.has(candidate));
      if (found === undefined && !annotationOnly) {
        errors.add(file, `image ${name} is referenced but missing (looked for ${candidates.join(', ')})`, { entry });
        continue;
      }
      const size = await sizeOf(image, found ?? null, source, file, entry, errors);
      if (size === undefined) continue;
      const annotations: Annotation[] = [];
      const ids = annotationIds();
      for (const shape of image.children) {
        const result = readCvatShape(shape, size?.width ?? null, size?.height ?? null);
        if (typeof result === 'string') {
          errors.add(file, result, { entry: `${entry} <${shape.name}>` });
          continue;
        }
        if (result.label !== '' && !declared.has(result.label)) {
          if (declared.size > 0) {
            errors.add(file, `unknown label ${result.label} (not in <meta> labels)`, { entry: `${entry} <${shape.name}>` });
            continue;
          }
          if (!classes.includes(result.label)) classes.push(result.label);
        }
        annotations.push({ id: ids.next(), ...result } as Annotation);
      }
      const path = found ?? candidates[0]!;
      const meta: JsonObject = { ...size, ...(subset !== undefined && subset !== '' && { split: subset }) };
      const previous = sources.get(path);
      if (previous !== undefined) errors.add(file, `image ${path} appears again (already in ${previous})`, { entry });
      sources.set(path, file);
      items.push({ path, media: found ?? null, meta, annotations });
    }
  }

  if (xmlFiles.length === 0) errors.add('.', 'no CVAT XML file at the top of the import (annotations.xml)');
  items.sort((a, b) => comparePaths(a.path, b.path));
  return { items: errors.size > 0 ? [] : items, classes, errors: errors.toArray() };
}

/** Label names declared in `<meta>`: `meta/task/labels`, `meta/project/labels` or `meta/job/labels`. */
function labelsOf(root: XmlElement): string[] {
  const meta = childNamed(root, 'meta');
  if (!meta) return [];
  const names: string[] = [];
  for (const owner of meta.children) {
    const labels = childNamed(owner, 'labels');
    if (!labels) continue;
    for (const label of childrenNamed(labels, 'label')) {
      const name = childNamed(label, 'name')?.text;
      if (name !== undefined && name !== '') names.push(name);
    }
  }
  return names;
}

function mediaCandidates(name: string, subset: string | undefined): string[] {
  const orders = subset ? [['images', subset, name], ['images', name], [name]] : [['images', name], [name]];
  const candidates: string[] = [];
  for (const parts of orders) {
    try {
      candidates.push(joinSourcePath(...parts));
    } catch {
      // A name climbing out of the root or otherwise not a path: no place to look.
    }
  }
  return candidates;
}

type Size = { width: number; height: number } | null;

async function sizeOf(image: XmlElement, media: string | null, source: FormatSource, file: string, entry: string, errors: FormatErrorList): Promise<Size | undefined> {
  const width = parseDecimal(image.attributes.width ?? '');
  const height = parseDecimal(image.attributes.height ?? '');
  if (width !== null && height !== null && width > 0 && height > 0) return { width, height };
  if (media === null) return null;
  try {
    return await source.imageSize(media);
  } catch (error) {
    errors.addThrown(file, error, { entry });
    return undefined;
  }
}
