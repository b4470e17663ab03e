import type { JsonValue } from '../../core/canonical-json.ts';
import { singleClassOf } from '../../core/filter/item-labels.ts';
import type { TransformInput } from '../../core/transforms/transform.ts';
import { text } from '../params.ts';

const FIELD = /^(label|(meta|annotations)(\.[^.\s]+)+)$/;

/**
 * The parameter naming where an item's class is: `label` (the single class label of its
 * annotations, by core/filter/item-labels.ts: `"cat"`, `{ "label": "cat" }`, `[{ "label":
 * "cat", … }]`), or a key path `meta.<key>…` / `annotations.<key>…` reaching a string or a
 * number.
 */
export function classField() {
  const error = 'must be label, meta.<key> or annotations.<key>';
  return text(256).regex(FIELD, { error });
}

/**
 * The item's class under `field` (see classField), as text: numbers by their decimal spelling,
 * so the class 3 and the class "3" are one. Undefined when the item has none (no value, or
 * several labels, or something else than a string or a number).
 */
export function classOf(input: Pick<TransformInput, 'meta' | 'annotations'>, field: string): string | undefined {
  if (field === 'label') {
    const label = singleClassOf(input.annotations);
    return label === undefined ? undefined : String(label);
  }
  const [root, ...keys] = field.split('.');
  let value: JsonValue | undefined = root === 'meta' ? input.meta : input.annotations;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
