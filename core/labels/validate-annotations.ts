import { InvalidInputError } from '../errors.ts';
import type { Annotation, AnnotationKind } from './annotation.ts';
import type { LabelSchema, LabelTool } from './label-schema.ts';
import { objectAt } from './parse-label-schema.ts';

const MAX_ANNOTATIONS = 10_000;
const MAX_ID = 128;
const COMMON_KEYS = ['id', 'kind', 'label', 'source', 'review', 'attributes'];

/** The keys each kind may carry besides the common ones. */
const KEYS_OF: Readonly<Record<AnnotationKind, readonly string[]>> = {
  class: [],
  box: ['box'],
  polygon: ['points'],
  keypoints: ['points', 'box'],
  mask: ['rle', 'box'],
  span: ['start', 'end'],
  range: ['start', 'end'],
};

/**
 * The tools that allow each kind. Masks come from imports and models, never from a drawing
 * tool; they are region shapes, so a project that draws polygons keeps them.
 */
const TOOLS_FOR: Readonly<Record<AnnotationKind, readonly LabelTool[]>> = {
  class: ['class', 'classes'],
  box: ['box'],
  polygon: ['polygon'],
  keypoints: ['keypoints'],
  mask: ['polygon'],
  span: ['span'],
  range: ['range'],
};

/**
 * Checks an item's annotations against a project's label schema and returns them typed:
 * a list of annotations of kinds the schema's tools allow, each with a unique non-empty `id`
 * and a `label` among the schema's classes; coordinates finite; boxes `[x, y, w, h]` with
 * w, h > 0; polygons of at least 3 points; keypoints exactly as many as the schema names, each
 * `[x, y, v]` with v 0, 1 or 2; spans integer offsets with 0 ≤ start ≤ end; ranges with start ≤
 * end; at most one `class` annotation (rejected model proposals aside) when the schema is single-label (`class` tool); `source`,
 * `review` and `attributes` in their documented shapes (see annotation.ts). Unknown keys are
 * refused. The value is returned as given (not copied): the checks are the contract.
 * @throws InvalidInputError whose field is the location of the first problem, e.g. `annotations/3/box`
 */
export function validateAnnotations(value: unknown, schema: LabelSchema, field = 'annotations'): Annotation[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field, 'must be a list of annotations');
  if (value.length > MAX_ANNOTATIONS) throw new InvalidInputError(field, `must hold at most ${MAX_ANNOTATIONS} annotations`);
  const classes = new Set(schema.classes.map((c) => c.name));
  const ids = new Set<string>();
  let classCount = 0;
  value.forEach((entry, i) => {
    const at = `${field}/${i}`;
    const kind = (entry as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string' || !Object.hasOwn(KEYS_OF, kind)) throw new InvalidInputError(`${at}/kind`, `must be one of ${Object.keys(KEYS_OF).join(', ')}`);
    const k = kind as AnnotationKind;
    const a = objectAt(entry, at, [...COMMON_KEYS, ...KEYS_OF[k]]);
    if (!TOOLS_FOR[k].some((tool) => schema.tools.includes(tool)))
      throw new InvalidInputError(`${at}/kind`, `${k} annotations need the ${TOOLS_FOR[k].join(' or ')} tool, which this schema does not have`);
    if (typeof a.id !== 'string' || a.id === '' || a.id.length > MAX_ID) throw new InvalidInputError(`${at}/id`, `must be 1-${MAX_ID} characters`);
    if (ids.has(a.id)) throw new InvalidInputError(`${at}/id`, `${JSON.stringify(a.id)} is used twice`);
    ids.add(a.id);
    if (typeof a.label !== 'string' || !classes.has(a.label)) throw new InvalidInputError(`${at}/label`, `must be a class of the schema (${[...classes].slice(0, 20).join(', ')})`);
    checkShape(k, a, at, schema);
    // A model's class proposal the labeler rejected stays as a record of that decision; it is
    // not the item's class, so it does not count against the single-label rule.
    const rejected = (a.review as { decision?: unknown } | undefined)?.decision === 'rejected';
    if (k === 'class' && !rejected && ++classCount > 1 && schema.tools.includes('class'))
      throw new InvalidInputError(`${at}`, 'the schema is single-label: an item has at most one class');
    if (a.source !== undefined) checkSource(a.source, `${at}/source`);
    if (a.review !== undefined) checkReview(a.review, `${at}/review`);
    if (a.attributes !== undefined && (typeof a.attributes !== 'object' || a.attributes === null || Array.isArray(a.attributes)))
      throw new InvalidInputError(`${at}/attributes`, 'must be an object');
  });
  return value as Annotation[];
}

function checkShape(kind: AnnotationKind, a: Record<string, unknown>, at: string, schema: LabelSchema): void {
  switch (kind) {
    case 'class':
      return;
    case 'box':
      return checkBox(a.box, `${at}/box`);
    case 'polygon':
      if (!Array.isArray(a.points) || a.points.length < 3) throw new InvalidInputError(`${at}/points`, 'must list at least 3 points');
      a.points.forEach((p, j) => checkNumbers(p, 2, `${at}/points/${j}`));
      return;
    case 'keypoints': {
      const names = schema.keypoints?.names ?? [];
      if (!Array.isArray(a.points) || a.points.length !== names.length)
        throw new InvalidInputError(`${at}/points`, `must list ${names.length} points, one per keypoint name of the schema`);
      a.points.forEach((p, j) => {
        checkNumbers(p, 3, `${at}/points/${j}`);
        if (![0, 1, 2].includes((p as number[])[2]!)) throw new InvalidInputError(`${at}/points/${j}/2`, 'visibility must be 0, 1 or 2');
      });
      if (a.box !== undefined) checkBox(a.box, `${at}/box`);
      return;
    }
    case 'mask': {
      const rle = objectAt(a.rle, `${at}/rle`, ['size', 'counts']);
      const size = rle.size;
      if (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && n > 0))
        throw new InvalidInputError(`${at}/rle/size`, 'must be [height, width], positive integers');
      const counts = rle.counts;
      const valid = typeof counts === 'string' || (Array.isArray(counts) && counts.every((n) => Number.isInteger(n) && n >= 0));
      if (!valid) throw new InvalidInputError(`${at}/rle/counts`, 'must be a COCO RLE string or a list of non-negative integers');
      if (a.box !== undefined) checkBox(a.box, `${at}/box`);
      return;
    }
    case 'span':
      if (!Number.isInteger(a.start) || (a.start as number) < 0) throw new InvalidInputError(`${at}/start`, 'must be a non-negative integer offset');
      if (!Number.isInteger(a.end)) throw new InvalidInputError(`${at}/end`, 'must be an integer offset');
      if ((a.start as number) > (a.end as number)) throw new InvalidInputError(`${at}/end`, 'must not be before start');
      return;
    case 'range':
      if (!isFiniteNumber(a.start)) throw new InvalidInputError(`${at}/start`, 'must be a finite number');
      if (!isFiniteNumber(a.end)) throw new InvalidInputError(`${at}/end`, 'must be a finite number');
      if (a.start > a.end) throw new InvalidInputError(`${at}/end`, 'must not be before start');
      return;
  }
}

function checkBox(box: unknown, at: string): void {
  checkNumbers(box, 4, at);
  const [, , w, h] = box as number[];
  if (!(w! > 0) || !(h! > 0)) throw new InvalidInputError(at, 'width and height must be greater than 0');
}

function checkNumbers(value: unknown, length: number, at: string): void {
  if (!Array.isArray(value) || value.length !== length) throw new InvalidInputError(at, `must be a list of ${length} numbers`);
  value.forEach((n, i) => {
    if (!isFiniteNumber(n)) throw new InvalidInputError(`${at}/${i}`, 'must be a finite number');
  });
}

function checkSource(value: unknown, at: string): void {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'human') {
    const s = objectAt(value, at, ['type', 'author', 'time']);
    if (typeof s.author !== 'string' || s.author === '') throw new InvalidInputError(`${at}/author`, 'must name who labeled it');
    checkTime(s.time, `${at}/time`);
  } else if (type === 'model') {
    const s = objectAt(value, at, ['type', 'model', 'confidence', 'time']);
    if (typeof s.model !== 'string' || s.model === '') throw new InvalidInputError(`${at}/model`, 'must name the model');
    if (!isFiniteNumber(s.confidence) || s.confidence < 0 || s.confidence > 1) throw new InvalidInputError(`${at}/confidence`, 'must be a number from 0 to 1');
    checkTime(s.time, `${at}/time`);
  } else if (type === 'import') {
    const s = objectAt(value, at, ['type', 'format']);
    if (typeof s.format !== 'string' || s.format === '') throw new InvalidInputError(`${at}/format`, 'must name the format');
  } else {
    throw new InvalidInputError(`${at}/type`, 'must be human, model or import');
  }
}

function checkReview(value: unknown, at: string): void {
  const r = objectAt(value, at, ['decision', 'by', 'time']);
  if (r.decision !== 'accepted' && r.decision !== 'edited' && r.decision !== 'rejected')
    throw new InvalidInputError(`${at}/decision`, 'must be accepted, edited or rejected');
  if (typeof r.by !== 'string' || r.by === '') throw new InvalidInputError(`${at}/by`, 'must name who decided');
  checkTime(r.time, `${at}/time`);
}

function checkTime(value: unknown, at: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new InvalidInputError(at, 'must be an ISO 8601 time');
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
