import type { JsonValue } from '../canonical-json.ts';

/** A class label: a name, or a class index. */
export type ClassLabel = string | number;

/**
 * The class labels an item's annotations carry, by one small rule shared by the filter's
 * `label` field and the WebDataset `.cls` member:
 * - a string or a number is itself a label (`"cat"`, `3`);
 * - an object carries the label in its `label` member, or failing that in `class`
 *   (`{ "label": "cat", "author": "ana" }`, `{ "class": 3 }`), when that is a string or number;
 * - an array carries the labels of its elements (`[{ "label": "cat", "box": […] }, …]`).
 * Anything else (null, booleans, deeper structures) carries none: reach those with
 * `annotations.<key>` in a filter.
 */
export function labelsOf(annotations: JsonValue): ClassLabel[] {
  if (Array.isArray(annotations)) return annotations.flatMap((element) => (Array.isArray(element) ? [] : labelsOf(element)));
  const single = labelOf(annotations);
  return single === undefined ? [] : [single];
}

/**
 * The one class of annotations that hold a single class: a label as above, or an array of
 * exactly one such element. Undefined otherwise — no annotations, several objects (a detection
 * with two boxes is not a classification, even of one class), or no label.
 */
export function singleClassOf(annotations: JsonValue): ClassLabel | undefined {
  if (Array.isArray(annotations)) return annotations.length === 1 && !Array.isArray(annotations[0]) ? labelOf(annotations[0]!) : undefined;
  return labelOf(annotations);
}

function labelOf(value: JsonValue): ClassLabel | undefined {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const key of ['label', 'class']) {
    const member = value[key];
    if (typeof member === 'string' || typeof member === 'number') return member;
  }
  return undefined;
}
