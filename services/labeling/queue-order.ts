import { createHash } from 'node:crypto';
import type { JsonValue } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Item } from '../../core/model.ts';

/**
 * How a labeling project orders its queue. Each task stores the text key `keyOf` gives its
 * item, and the queue hands out tasks by (key, path) in code point order from an index, so an
 * order costs nothing per request whatever the project's size. Keys are recomputed when an
 * item changes on the branch and for every task when the project's order changes.
 */
export interface QueueOrder {
  /** The spec as stored and shown, e.g. `dataset`, `random`, `meta:priority`. */
  readonly spec: string;
  /** The item's sort key; equal keys fall back to path order. Pure: the same item, the same key. */
  keyOf(item: Item, labelingProjectId: string): string;
}

/** One kind of order: its name before the first ':' of a spec, and how to build it from the rest. */
export interface QueueOrderKind {
  readonly name: string;
  readonly help: string;
  /** @throws InvalidInputError for an argument it cannot use */
  create(argument: string | null): QueueOrder;
}

const datasetOrder: QueueOrderKind = {
  name: 'dataset',
  help: '"dataset" (path order)',
  create: (argument) => {
    noArgument('dataset', argument);
    return { spec: 'dataset', keyOf: () => '' };
  },
};

const randomOrder: QueueOrderKind = {
  name: 'random',
  help: '"random" (a fixed shuffle seeded by the project)',
  create: (argument) => {
    noArgument('random', argument);
    return {
      spec: 'random',
      keyOf: (item, projectId) => createHash('sha256').update(projectId).update('\0').update(item.path).digest('hex').slice(0, 16),
    };
  },
};

const metaOrder: QueueOrderKind = {
  name: 'meta',
  help: '"meta:<key>" (ascending by that meta value; items without it last)',
  create: (argument) => {
    if (!argument) throw new InvalidInputError('queueOrder', 'meta:<key> needs a key, e.g. meta:priority');
    return { spec: `meta:${argument}`, keyOf: (item) => sortKeyOf(item.meta[argument]) };
  },
};

/** The orders every server knows. */
export const BUILT_IN_ORDERS: readonly QueueOrderKind[] = [datasetOrder, randomOrder, metaOrder];

/**
 * The order a spec names among `kinds`.
 * @throws InvalidInputError('queueOrder') for an unknown kind or a bad argument
 */
export function parseQueueOrder(spec: unknown, kinds: readonly QueueOrderKind[] = BUILT_IN_ORDERS): QueueOrder {
  if (typeof spec !== 'string' || spec === '' || spec.length > 200)
    throw new InvalidInputError('queueOrder', `must be one of ${kinds.map((k) => k.help).join(', ')}`);
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const kind = kinds.find((k) => k.name === name);
  if (!kind) throw new InvalidInputError('queueOrder', `${JSON.stringify(spec)} is not one of ${kinds.map((k) => k.help).join(', ')}`);
  return kind.create(colon < 0 ? null : spec.slice(colon + 1));
}

function noArgument(name: string, argument: string | null): void {
  if (argument !== null) throw new InvalidInputError('queueOrder', `${name} takes no argument`);
}

/**
 * A text key whose code point order is the natural order of JSON values: numbers first, in
 * numeric order (the IEEE 754 bits, made sortable as unsigned hex), then strings, then
 * anything else (booleans, objects, missing) last.
 */
export function sortKeyOf(value: JsonValue | undefined): string {
  if (typeof value === 'number') {
    const bits = new DataView(new ArrayBuffer(8));
    bits.setFloat64(0, value === 0 ? 0 : value);
    let high = bits.getUint32(0);
    let low = bits.getUint32(4);
    // Negative numbers: invert every bit (larger magnitude sorts first); others: set the sign bit.
    if (high & 0x8000_0000) {
      high = ~high >>> 0;
      low = ~low >>> 0;
    } else {
      high = (high | 0x8000_0000) >>> 0;
    }
    return `n${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`;
  }
  if (typeof value === 'string') return `s${value}`;
  return '~';
}
