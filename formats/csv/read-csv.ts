import type { JsonObject } from '../../core/canonical-json.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import { comparePaths } from '../../core/item-path.ts';
import { AnnotationIdsByItem } from '../annotation-ids.ts';
import { boxFromCorners } from '../box-corners.ts';
import { FormatErrorList } from '../format-errors.ts';
import type { FormatItem, FormatSource, ReadResult } from '../format.ts';
import { boxProblem } from '../image-bounds.ts';
import { importedFrom } from '../import-source.ts';
import { dirnameOf, joinSourcePath } from '../item-paths.ts';
import { csvLayout, type CsvLayout } from './csv-layout.ts';
import { csvRecords, type CsvRecord } from './csv-records.ts';

interface CsvItem {
  readonly path: string;
  readonly meta: JsonObject;
  readonly annotations: Annotation[];
  /** Line of each class already given, to report repeats. */
  readonly classLines: Map<string, string>;
  /** Where the size in `meta` came from, to report rows that disagree. */
  sizeFrom?: string;
}

/** What one read shares across files and rows. */
interface CsvReadState {
  readonly source: FormatSource;
  readonly errors: FormatErrorList;
  readonly items: Map<string, CsvItem>;
  readonly ids: AnnotationIdsByItem;
  readonly classes: Set<string>;
  /** Where each name of a file was found (null: missing), so repeated rows look once. */
  readonly found: Map<string, string | null>;
}

/**
 * Reads every `.csv` file of the import in one of the layouts of csv-layout.ts. A path in a
 * CSV is relative to the CSV's folder, or to `images/` beside it; the item's path is where the
 * image was found. Rows of several files about one image add up. Classes are returned sorted
 * (CSV has no class order of its own, and row order would change with every export).
 * Problems (malformed CSV, unknown header, missing images, bad numbers, boxes outside the
 * image, repeated labels) are listed with their file and line.
 */
export async function readCsv(source: FormatSource): Promise<ReadResult> {
  const state: CsvReadState = { source, errors: new FormatErrorList(), items: new Map(), ids: new AnnotationIdsByItem(), classes: new Set(), found: new Map() };
  const files = (await source.list()).filter((file) => file.toLowerCase().endsWith('.csv'));
  if (files.length === 0) state.errors.add('.', 'no CSV file found');
  for (const file of files) {
    const [header, ...rows] = csvRecords(file, await source.readText(file), state.errors);
    if (!header) {
      state.errors.add(file, 'is empty: expects a header row');
      continue;
    }
    const layout = csvLayout(header.fields);
    if (typeof layout === 'string') {
      state.errors.add(file, layout, { line: header.line });
      continue;
    }
    for (const row of rows) await readRow(file, layout, header.fields.length, row, state);
  }
  const items = [...state.items.values()].sort((a, b) => comparePaths(a.path, b.path));
  return {
    items: items.map((item): FormatItem => ({ path: item.path, media: item.path, meta: item.meta, annotations: item.annotations })),
    classes: [...state.classes].sort(comparePaths),
    errors: state.errors.toArray(),
  };
}

async function readRow(file: string, layout: CsvLayout, columns: number, row: CsvRecord, state: CsvReadState): Promise<void> {
  const { errors } = state;
  const line = row.line;
  const fail = (message: string) => errors.add(file, message, { line });
  if (row.fields.length !== columns) return fail(`has ${row.fields.length} fields, the header has ${columns}`);
  const name = row.fields[layout.path]!.trim();
  if (name === '') return fail('has no path');
  const path = await findImage(file, name, line, state);
  if (path === null) return;
  let item = state.items.get(path);
  if (!item) state.items.set(path, (item = { path, meta: {}, annotations: [], classLines: new Map() }));
  const label = row.fields[layout.label]!.trim();
  const where = `line ${line} of ${file}`;
  const source = importedFrom('csv');

  if (layout.kind === 'classes') {
    if (label === '') return;
    const first = item.classLines.get(label);
    if (first) return fail(`label "${label}" is given for ${name} again (first at ${first})`);
    item.classLines.set(label, where);
    state.classes.add(label);
    item.annotations.push({ id: state.ids.next(path), kind: 'class', label, source });
    return;
  }

  const size = await imageSize(file, row, layout, path, item, state);
  if (size === null) return;
  const corners = layout.corners.map((index) => row.fields[index]!.trim());
  if (label === '' && corners.every((value) => value === '')) return;
  if (label === '') return fail('has a box but no class');
  const numbers = corners.map(Number);
  if (corners.some((value) => value === '') || !numbers.every(Number.isFinite)) return fail(`xmin, ymin, xmax, ymax must be numbers, got ${corners.join(', ')}`);
  const [xMin, yMin, xMax, yMax] = numbers as [number, number, number, number];
  if (xMax < xMin || yMax < yMin) return fail(`xmax, ymax must not be less than xmin, ymin (${corners.join(', ')})`);
  const box = boxFromCorners(xMin, yMin, xMax, yMax);
  const problem = boxProblem(box, size);
  if (problem) return fail(`${name}: ${problem}`);
  state.classes.add(label);
  item.annotations.push({ id: state.ids.next(path), kind: 'box', label, box, source });
}

/** The path of the image `name` names, or null after reporting it missing. */
async function findImage(file: string, name: string, line: number, state: CsvReadState): Promise<string | null> {
  const folder = dirnameOf(file);
  const key = `${folder}\0${name}`;
  if (!state.found.has(key)) {
    let candidates: string[];
    try {
      candidates = [...new Set([joinSourcePath(folder, name), joinSourcePath(folder, 'images', name)])];
    } catch (error) {
      state.errors.addThrown(file, error, { line });
      return null;
    }
    let found: string | null = null;
    for (const candidate of candidates) if (await state.source.exists(candidate)) { found = candidate; break; }
    state.found.set(key, found);
    if (found === null) {
      state.errors.add(file, `image ${name} is missing (looked for ${candidates.join(', ')})`, { line });
      return null;
    }
  }
  const found = state.found.get(key) ?? null;
  if (found === null) state.errors.add(file, `image ${name} is missing`, { line });
  return found;
}

/** The image's size: from the row's width and height, else from the image file; null after reporting a problem. */
async function imageSize(file: string, row: CsvRecord, layout: Extract<CsvLayout, { kind: 'boxes' }>, path: string, item: CsvItem, state: CsvReadState): Promise<{ width: number; height: number } | null> {
  const line = row.line;
  const given = [layout.width, layout.height].map((index) => (index === null ? '' : row.fields[index]!.trim()));
  let size: { width: number; height: number };
  if (given.every((value) => value !== '')) {
    const [width, height] = given.map(Number) as [number, number];
    if (!(width > 0) || !(height > 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
      state.errors.add(file, `width and height must be positive numbers, got ${given.join(', ')}`, { line });
      return null;
    }
    size = { width, height };
  } else if (item.sizeFrom !== undefined) {
    return { width: item.meta.width as number, height: item.meta.height as number };
  } else {
    try {
      size = await state.source.imageSize(path);
    } catch (error) {
      state.errors.addThrown(file, error, { line });
      return null;
    }
  }
  if (item.sizeFrom === undefined) {
    item.meta.width = size.width;
    item.meta.height = size.height;
    item.sizeFrom = `line ${line} of ${file}`;
  } else if (item.meta.width !== size.width || item.meta.height !== size.height) {
    state.errors.add(file, `size ${size.width}×${size.height} differs from ${item.meta.width}×${item.meta.height} at ${item.sizeFrom}`, { line });
    return null;
  }
  return size;
}
