import { parseDocument } from 'yaml';
import type { FormatErrorList } from '../format-errors.ts';
import type { FormatSource, ReadOptions } from '../format.ts';
import { basenameOf, joinSourcePath } from '../item-paths.ts';

/** Ultralytics `task` values that label files can hold. */
export type YoloTask = 'detect' | 'segment' | 'obb' | 'pose';
const TASKS: readonly YoloTask[] = ['detect', 'segment', 'obb', 'pose'];

/** What a YOLO dataset's configuration files say. */
export interface YoloConfig {
  /** Class names by id. */
  readonly classes: readonly string[];
  /** `kpt_shape: [count, dims]` of a pose dataset; dims 3 carries a visibility per point. */
  readonly keypoints?: { readonly count: number; readonly dims: 2 | 3 };
  /** `task` when data.yaml names one (Sheaf's exports do, to tell 4-point polygons from oriented boxes). */
  readonly task?: YoloTask;
  /** Darknet `obj.data` image lists: the split name (its key) and the list file. */
  readonly lists: readonly { readonly split: string; readonly file: string }[];
}

const DARKNET_KEYS = new Set(['classes', 'names', 'backup', 'eval', 'results', 'map']);

/**
 * Reads the configuration of a YOLO dataset: `data.yaml` (Ultralytics, Roboflow: `names` as a
 * list or an id → name mapping, `nc`, `kpt_shape`, `task`; `path`/`train`/`val`/`test` are
 * checked but images are found by the folder layout, since they name places on the exporting
 * machine), else `obj.data` (Darknet: `classes`, `names`, and one image list per other key),
 * else `obj.names`, else the caller's class list. Problems go to `errors`; returns null when
 * the classes cannot be known.
 */
export async function readYoloConfig(
  source: FormatSource,
  files: readonly string[],
  options: ReadOptions,
  errors: FormatErrorList,
): Promise<YoloConfig | null> {
  const rootFiles = files.filter((file) => !file.includes('/'));
  const yamls = rootFiles.filter((file) => /\.ya?ml$/i.test(file));
  const yamlFile = yamls.find((file) => /^data\.ya?ml$/i.test(file)) ?? (yamls.length === 1 ? yamls[0] : undefined);
  if (yamlFile !== undefined) return readDataYaml(source, yamlFile, files, options, errors);
  if (rootFiles.includes('obj.data')) return readObjData(source, files, errors);
  if (rootFiles.includes('obj.names')) {
    const classes = await readNames(source, 'obj.names', errors);
    return classes && { classes, lists: [] };
  }
  if (options.classes && options.classes.length > 0) return { classes: [...options.classes], lists: [] };
  errors.add('.', 'no class names: expected data.yaml, obj.data or obj.names at the top of the import, or a class list');
  return null;
}

async function readDataYaml(
  source: FormatSource,
  file: string,
  files: readonly string[],
  options: ReadOptions,
  errors: FormatErrorList,
): Promise<YoloConfig | null> {
  const document = parseDocument(await source.readText(file));
  if (document.errors.length > 0) {
    for (const problem of document.errors) {
      const line = problem.linePos?.[0]?.line;
      errors.add(file, `malformed YAML: ${problem.message.split('\n')[0]}`, line === undefined ? {} : { line });
    }
    return null;
  }
  const data: unknown = document.toJS();
  if (!isRecord(data)) {
    errors.add(file, 'data.yaml must be a mapping (names, nc, train, val, …)');
    return null;
  }
  const before = errors.size;
  for (const key of ['path', 'train', 'val', 'test']) {
    const value = data[key];
    if (value !== undefined && value !== null && typeof value !== 'string' && !(Array.isArray(value) && value.every((entry) => typeof entry === 'string'))) {
      errors.add(file, `${key} must be a path or a list of paths`, { entry: key });
    }
  }
  let classes: string[] | null = null;
  if (data.names !== undefined) classes = namesOf(data.names, file, errors);
  else if (files.includes('obj.names')) classes = await readNames(source, 'obj.names', errors);
  else if (options.classes && options.classes.length > 0) classes = [...options.classes];
  else errors.add(file, 'data.yaml has no names', { entry: 'names' });
  if (classes && data.nc !== undefined && data.nc !== classes.length) {
    errors.add(file, `nc is ${JSON.stringify(data.nc)} but names lists ${classes.length} classes`, { entry: 'nc' });
  }
  const keypoints = data.kpt_shape === undefined ? undefined : kptShapeOf(data.kpt_shape, file, errors);
  let task: YoloTask | undefined;
  if (data.task !== undefined) {
    if (TASKS.includes(data.task as YoloTask)) task = data.task as YoloTask;
    else errors.add(file, `task ${JSON.stringify(data.task)} is not supported (detect, segment, obb or pose)`, { entry: 'task' });
  }
  if (task === 'pose' && keypoints === undefined) errors.add(file, 'task pose needs kpt_shape', { entry: 'kpt_shape' });
  if (errors.size > before || !classes) return null;
  return { classes, lists: [], ...(keypoints && { keypoints }), ...(task && { task }) };
}

function namesOf(names: unknown, file: string, errors: FormatErrorList): string[] | null {
  const entries: [number, unknown][] = [];
  if (Array.isArray(names)) names.forEach((name, id) => entries.push([id, name]));
  else if (isRecord(names)) {
    for (const [key, name] of Object.entries(names)) {
      if (!/^(0|[1-9]\d*)$/.test(key)) {
        errors.add(file, `names key ${JSON.stringify(key)} is not a class id`, { entry: 'names' });
        return null;
      }
      entries.push([Number(key), name]);
    }
  } else {
    errors.add(file, 'names must be a list or a mapping of class ids to names', { entry: 'names' });
    return null;
  }
  const classes: string[] = [];
  for (const [id, name] of entries) {
    if ((typeof name !== 'string' && typeof name !== 'number') || String(name).trim() === '') {
      errors.add(file, `class ${id} has no name`, { entry: `names[${id}]` });
      return null;
    }
    classes[id] = String(name).trim();
  }
  for (let id = 0; id < classes.length; id++) {
    if (classes[id] === undefined) {
      errors.add(file, `names has no class ${id}: ids must run from 0 without gaps`, { entry: 'names' });
      return null;
    }
  }
  return uniqueClasses(classes, file, errors);
}

function kptShapeOf(value: unknown, file: string, errors: FormatErrorList): YoloConfig['keypoints'] {
  if (Array.isArray(value) && value.length === 2 && Number.isInteger(value[0]) && value[0] > 0 && (value[1] === 2 || value[1] === 3)) {
    return { count: value[0], dims: value[1] };
  }
  errors.add(file, `kpt_shape must be [keypoints, 2 or 3], got ${JSON.stringify(value)}`, { entry: 'kpt_shape' });
  return undefined;
}

async function readObjData(source: FormatSource, files: readonly string[], errors: FormatErrorList): Promise<YoloConfig | null> {
  const settings = new Map<string, { value: string; line: number }>();
  for await (const { line, text } of source.lines('obj.data')) {
    const content = text.replace(/#.*/, '').trim();
    if (content === '') continue;
    const equals = content.indexOf('=');
    if (equals < 0) {
      errors.add('obj.data', `expected "key = value", got ${JSON.stringify(content)}`, { line });
      continue;
    }
    settings.set(content.slice(0, equals).trim(), { value: content.slice(equals + 1).trim(), line });
  }
  const names = settings.get('names');
  const namesFile = names ? resolveDarknetPath(names.value, '', files) : files.includes('obj.names') ? 'obj.names' : null;
  if (namesFile === null) {
    errors.add('obj.data', names ? `names file ${names.value} is not in the import` : 'no names file', names ? { line: names.line } : {});
    return null;
  }
  const classes = await readNames(source, namesFile, errors);
  const count = settings.get('classes');
  if (classes && count && Number(count.value) !== classes.length) {
    errors.add('obj.data', `classes = ${count.value} but ${namesFile} lists ${classes.length} names`, { line: count.line });
  }
  const lists: { split: string; file: string }[] = [];
  for (const [key, { value, line }] of settings) {
    if (DARKNET_KEYS.has(key)) continue;
    const file = resolveDarknetPath(value, '', files);
    if (file === null) errors.add('obj.data', `${key} = ${value}: the image list is not in the import`, { line });
    else lists.push({ split: key, file });
  }
  return classes && { classes, lists };
}

/** Reads a Darknet names file: one class per line; trailing empty lines are ignored. */
async function readNames(source: FormatSource, file: string, errors: FormatErrorList): Promise<string[] | null> {
  const lines: { line: number; text: string }[] = [];
  for await (const entry of source.lines(file)) lines.push({ line: entry.line, text: entry.text.trim() });
  while (lines.length > 0 && lines[lines.length - 1]!.text === '') lines.pop();
  const empty = lines.find((entry) => entry.text === '');
  if (empty) {
    errors.add(file, 'empty class name', { line: empty.line });
    return null;
  }
  return uniqueClasses(
    lines.map((entry) => entry.text),
    file,
    errors,
  );
}

function uniqueClasses(classes: string[], file: string, errors: FormatErrorList): string[] | null {
  const seen = new Map<string, number>();
  for (const [id, name] of classes.entries()) {
    const first = seen.get(name);
    if (first !== undefined) {
      errors.add(file, `class name ${JSON.stringify(name)} is given to ids ${first} and ${id}`, { entry: `names[${id}]` });
      return null;
    }
    seen.set(name, id);
  }
  return classes;
}

/**
 * Finds a file named in a Darknet file. Darknet paths are relative to its working directory,
 * where the dataset usually sits in `data/` (`data/obj_train_data/1.jpg`): the path is tried
 * relative to `base`, then to the root, then without its first folder.
 */
export function resolveDarknetPath(value: string, base: string, files: readonly string[] | ReadonlySet<string>): string | null {
  const has = (path: string) => (files instanceof Set ? files.has(path) : (files as readonly string[]).includes(path));
  const cleaned = value.trim().replace(/\\/g, '/');
  const candidates = [joinSafe(base, cleaned), joinSafe('', cleaned)];
  const withoutFirst = cleaned.replace(/^\.?\/?[^/]+\//, '');
  if (withoutFirst !== cleaned) candidates.push(joinSafe(base, withoutFirst), joinSafe('', withoutFirst));
  return candidates.find((candidate) => candidate !== null && has(candidate)) ?? null;
}

function joinSafe(base: string, path: string): string | null {
  try {
    return joinSourcePath(base, path.startsWith('/') ? basenameOf(path) : path);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
