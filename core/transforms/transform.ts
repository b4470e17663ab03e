import type { JsonObject, JsonValue } from '../canonical-json.ts';
import type { BlobHash } from '../ids.ts';
import type { ItemPath } from '../item-path.ts';

/**
 * A transform turns the items of one snapshot into the items of another, deterministically:
 * the same input items, transform name, version and parameters always give the same output
 * items, so the output snapshot hash is the same on every run (and can be memoized by them).
 * Transforms never read the clock, randomness or the environment; a seeded choice takes its
 * seed from the parameters.
 */
export type Transform<Params = unknown> = ItemTransform<Params> | DatasetTransform<Params>;

/** What every transform declares. */
export interface TransformInfo<Params> {
  /** Stable dotted name, e.g. `image.resize`. */
  readonly name: string;
  /** Bumped whenever the output for the same input and parameters may change. */
  readonly version: string;
  readonly description: string;
  /**
   * Validates raw parameters (from GraphQL JSON or CLI `k=v` strings) into typed ones with
   * defaults filled in; the canonical form of the result is what memo keys and lineage record.
   * @throws InvalidInputError naming the parameter
   */
  parseParams(raw: JsonObject): Params;
}

/** An input item: its fields, and its blob's bytes on demand. */
export interface TransformInput {
  readonly path: ItemPath;
  readonly blob: BlobHash;
  readonly size: number;
  readonly meta: JsonObject;
  readonly annotations: JsonValue;
  /** The blob's bytes (verified against its hash). */
  bytes(): Promise<Uint8Array>;
}

/** An output item: new bytes, or an input's blob kept as it is. */
export interface TransformOutput {
  readonly path: string;
  readonly content: Uint8Array | { readonly blob: BlobHash };
  readonly meta: JsonObject;
  readonly annotations: JsonValue;
  /** Media type of new bytes, e.g. `image/png`. */
  readonly mediaType?: string | undefined;
}

/** An input the transform cannot use (a corrupt image): reported, and left out of the output. */
export interface TransformRejection {
  readonly rejected: string;
  /** Which input, for dataset transforms (an item transform's rejection is of its one input). */
  readonly path?: string | undefined;
}

/** Limits every transform must respect. */
export interface TransformContext {
  /** Largest image a decode may open (see adapters/image/open-image.ts). */
  readonly maxImagePixels: number;
  /** Aborted when the run is cancelled or times out. */
  readonly signal: AbortSignal;
}

/**
 * A transform of each item on its own: output depends only on that item and the parameters,
 * so after a small change of the input only the changed items are recomputed. May give
 * several outputs (frames of a video) or none (filtered out).
 */
export interface ItemTransform<Params> extends TransformInfo<Params> {
  readonly kind: 'item';
  apply(input: TransformInput, params: Params, context: TransformContext): Promise<TransformOutput[] | TransformRejection>;
}

/**
 * A transform that needs the whole snapshot (class rebalancing, deduplication, statistics
 * fitted over every item). `inputs` can be iterated more than once, in path order.
 */
export interface DatasetTransform<Params> extends TransformInfo<Params> {
  readonly kind: 'dataset';
  apply(inputs: () => AsyncIterable<TransformInput>, params: Params, context: TransformContext): AsyncIterable<TransformOutput | TransformRejection>;
}
