import { InvalidInputError } from '../../core/errors.ts';
import type { Item } from '../../core/model.ts';

/** What an export's first pass over a snapshot found. */
export interface SnapshotLabels {
  readonly items: number;
  readonly annotations: number;
  /** Every annotation label, each once, sorted by code unit: the default class list of an export. */
  readonly labels: string[];
}

const MAX_CLASSES = 10_000;
const MAX_CLASS_NAME = 256;

/**
 * Counts the items and annotations of a snapshot and collects their labels, streaming: memory
 * holds the distinct labels only. Annotations that are not a list count as none.
 */
export async function snapshotLabels(items: AsyncIterable<Item>): Promise<SnapshotLabels> {
  let count = 0;
  let annotations = 0;
  const labels = new Set<string>();
  for await (const item of items) {
    count++;
    if (!Array.isArray(item.annotations)) continue;
    for (const annotation of item.annotations) {
      annotations++;
      const label = (annotation as { label?: unknown } | null)?.label;
      if (typeof label === 'string') labels.add(label);
    }
  }
  return { items: count, annotations, labels: [...labels].sort() };
}

/**
 * A class list as clients send it: names separated by commas, in id order, each once.
 * @throws InvalidInputError('classes')
 */
export function parseClassList(value: string): string[] {
  const names = value.split(',');
  if (value === '' || names.length > MAX_CLASSES) throw new InvalidInputError('classes', `must list 1 to ${MAX_CLASSES} class names, comma-separated`);
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '' || name.length > MAX_CLASS_NAME) throw new InvalidInputError('classes', `names must have 1 to ${MAX_CLASS_NAME} characters`);
    if (seen.has(name)) throw new InvalidInputError('classes', `${JSON.stringify(name)} is listed twice`);
    seen.add(name);
  }
  return names;
}
