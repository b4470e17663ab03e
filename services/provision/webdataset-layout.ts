import { canonicalJson, type JsonObject } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { singleClassOf } from '../../core/filter/item-labels.ts';
import type { Item } from '../../core/model.ts';
import { inSelectedShard, type Selection } from './selection.ts';
import type { Sample } from './webdataset-samples.ts';

/** Most class names `classes` may number. */
export const MAX_CLASSES = 10_000;

/** What a WebDataset layout writes for one sample, in order. */
export type SampleEntry = { readonly kind: 'item'; readonly item: Item } | { readonly kind: 'bytes'; readonly name: string; readonly bytes: Uint8Array };

/**
 * Parses `classes` (`cat,dog,bird`): class names numbered from 0 in the order given, for `.cls`.
 * @throws InvalidInputError('classes') for an empty or repeated name, or too many
 */
export function parseClasses(text: string): ReadonlyMap<string, number> {
  const names = text.split(',').map((name) => name.trim());
  if (names.length > MAX_CLASSES) throw new InvalidInputError('classes', `at most ${MAX_CLASSES} class names`);
  const numbered = new Map<string, number>();
  for (const name of names) {
    if (name === '') throw new InvalidInputError('classes', 'has an empty class name');
    if (numbered.has(name)) throw new InvalidInputError('classes', `names ${JSON.stringify(name)} twice`);
    numbered.set(name, numbered.size);
  }
  return numbered;
}

/**
 * The entries of one sample, or none when the selection leaves it out. A sample is selected
 * whole: when its key falls in the shard and, with a filter, when any member matches (so
 * `label=cat` keeps a cat image's caption too). Members are written at their paths in path
 * order, then:
 * - `<key>.json`, when a member has annotations (not null) or meta (not empty): canonical JSON
 *   `{"annotations": …, "meta": …}` of that member, or, when several have some,
 *   `{"members": {"<extension>": {"annotations": …, "meta": …}, …}}`;
 * - `<key>.cls`, when exactly one member has annotations and they hold a single class
 *   (core/filter/item-labels.ts): the class as text — a number as decimal digits; a name as
 *   itself, or with `classes` its position in that list (a name not listed gets no `.cls`).
 * A member of the sample already named `<key>.json` or `<key>.cls` wins over the generated one.
 */
export function sampleEntries(sample: Sample, selection: Selection, classes?: ReadonlyMap<string, number>): SampleEntry[] {
  if (!inSelectedShard(selection, sample.key)) return [];
  const { matches } = selection;
  if (matches && !sample.members.some((m) => matches(m.item))) return [];
  const entries: SampleEntry[] = sample.members.map((m) => ({ kind: 'item', item: m.item }));
  const extensions = new Set(sample.members.map((m) => m.extension));
  const carriers = sample.members.filter((m) => m.item.annotations !== null || Object.keys(m.item.meta).length > 0);
  const describe = (item: Item): JsonObject => ({ annotations: item.annotations, meta: item.meta });
  if (carriers.length > 0 && !extensions.has('json')) {
    const json = carriers.length === 1 ? describe(carriers[0]!.item) : { members: Object.fromEntries(carriers.map((m) => [m.extension, describe(m.item)])) };
    entries.push({ kind: 'bytes', name: `${sample.key}.json`, bytes: Buffer.from(canonicalJson(json)) });
  }
  const labeled = sample.members.filter((m) => m.item.annotations !== null);
  const label = labeled.length === 1 ? singleClassOf(labeled[0]!.item.annotations) : undefined;
  const cls = label === undefined || typeof label === 'number' || !classes ? label : classes.get(label);
  if (cls !== undefined && !extensions.has('cls')) entries.push({ kind: 'bytes', name: `${sample.key}.cls`, bytes: Buffer.from(String(cls)) });
  return entries;
}
