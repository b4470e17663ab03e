import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { comparePaths } from '../../core/item-path.ts';
import { annotationIds } from '../annotation-ids.ts';
import { FormatErrorList } from '../format-errors.ts';
import type { FormatItem, FormatSource, ReadResult } from '../format.ts';
import type { ImageSize } from '../image-bounds.ts';
import { importedFrom } from '../import-source.ts';
import { isJsonObject, parseJsonText } from '../json-text.ts';
import { MEDIA_KEYS, mediaCandidates } from './ls-media.ts';
import { IMAGE_TYPES, lsAnnotations } from './ls-result.ts';

/**
 * Reads Label Studio JSON exports (every `.json` file of the import: a list of tasks). A task
 * becomes the item at the path where its media was found (see ls-media.ts), with its image
 * size in meta when its results give one; its annotations come from its first annotation not
 * marked `was_cancelled` (one labeler's work: Label Studio keeps each labeler's separately).
 * A task with no such annotation is not labeled yet and is left out; `predictions` are not
 * read. Problems (malformed JSON, missing media, tasks listed twice, unsupported result
 * types, geometry outside the image) are all listed with the task and result they are in.
 */
export async function readLabelStudio(source: FormatSource): Promise<ReadResult> {
  const errors = new FormatErrorList();
  const items = new Map<string, FormatItem & { entry: string }>();
  const classes = new Set<string>();
  const files = (await source.list()).filter((file) => file.toLowerCase().endsWith('.json'));
  if (files.length === 0) errors.add('.', 'no Label Studio export (.json) found');
  for (const file of files) {
    const parsed = parseJsonText(await source.readText(file));
    if (!parsed.ok) {
      errors.add(file, parsed.message, { line: parsed.line });
      continue;
    }
    if (!Array.isArray(parsed.value)) {
      errors.add(file, 'is not a Label Studio export: expects a list of tasks');
      continue;
    }
    for (const [index, task] of parsed.value.entries()) {
      const item = await readTask(file, `tasks[${index}]`, task, source, errors);
      if (!item) continue;
      const other = items.get(item.path);
      if (other) {
        errors.add(file, `${item.path} is the media of two tasks (the other is ${other.entry})`, { entry: item.entry });
        continue;
      }
      items.set(item.path, item);
      for (const annotation of item.annotations) classes.add(annotation.label);
    }
  }
  const sorted = [...items.values()].sort((a, b) => comparePaths(a.path, b.path));
  return {
    items: sorted.map(({ path, media, meta, annotations }) => ({ path, media, meta, annotations })),
    classes: [...classes].sort(comparePaths),
    errors: errors.toArray(),
  };
}

async function readTask(file: string, entry: string, task: JsonValue, source: FormatSource, errors: FormatErrorList): Promise<(FormatItem & { entry: string }) | null> {
  if (!isJsonObject(task) || !isJsonObject(task.data)) return void errors.add(file, 'a task must be an object with a data object', { entry }), null;
  if (task.id !== undefined) entry = `task id=${JSON.stringify(task.id)}`;
  const data = task.data;
  const reference = MEDIA_KEYS.map((key) => data[key]).find((value): value is string => typeof value === 'string' && value !== '');
  if (reference === undefined) return void errors.add(file, `task names no media (data.${MEDIA_KEYS.join(', data.')})`, { entry }), null;
  const annotation = (Array.isArray(task.annotations) ? task.annotations : []).find((candidate) => isJsonObject(candidate) && candidate.was_cancelled !== true);
  if (!isJsonObject(annotation)) return null;
  if (!Array.isArray(annotation.result)) return void errors.add(file, 'annotation has no result list', { entry }), null;

  const candidates = mediaCandidates(reference);
  let path: string | undefined;
  for (const candidate of candidates) if (await source.exists(candidate)) { path = candidate; break; }
  if (path === undefined) return void errors.add(file, `media ${reference} is missing (looked for ${candidates.join(', ') || 'nothing safe'})`, { entry }), null;

  const results = annotation.result as JsonValue[];
  const size = await imageSize(file, entry, path, results, source, errors);
  if (size === undefined) return null;
  const ids = annotationIds();
  const annotations: Annotation[] = [];
  const context = { size, source: importedFrom('label-studio'), nextId: () => ids.next() };
  results.forEach((result, index) => {
    const where = { entry: `${entry} result[${index}]` };
    if (!isJsonObject(result)) return errors.add(file, 'a result must be an object', where);
    const read = lsAnnotations(result, context);
    if (typeof read === 'string') errors.add(file, read, where);
    else annotations.push(...read);
  });
  return { path, media: path, meta: size ? { width: size.width, height: size.height } : {}, annotations, entry };
}

/**
 * The image size the results state (`original_width`/`original_height`, which must agree),
 * else the file's own when a result needs one, else null; undefined after reporting a problem.
 */
async function imageSize(file: string, entry: string, path: string, results: readonly JsonValue[], source: FormatSource, errors: FormatErrorList): Promise<ImageSize | null | undefined> {
  let size: ImageSize | null = null;
  for (const result of results) {
    if (!isJsonObject(result)) continue;
    const { original_width: width, original_height: height } = result as JsonObject;
    if (width === undefined && height === undefined) continue;
    if (typeof width !== 'number' || typeof height !== 'number' || !(width > 0) || !(height > 0))
      return void errors.add(file, 'original_width and original_height must be positive numbers', { entry });
    if (size && (size.width !== width || size.height !== height))
      return void errors.add(file, `results disagree on the image size: ${size.width}×${size.height} and ${width}×${height}`, { entry });
    size = { width, height };
  }
  if (size || !results.some((result) => isJsonObject(result) && IMAGE_TYPES.has(result.type as string))) return size;
  try {
    return await source.imageSize(path);
  } catch (error) {
    errors.addThrown(file, error, { entry });
    return undefined;
  }
}
