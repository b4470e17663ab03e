import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';

/** Which transform, at which version, with which parameters: what a memo entry is keyed by. */
export interface TransformKey {
  readonly project: string;
  readonly transform: string;
  readonly version: string;
  /** sha256 of the parameters' canonical JSON. */
  readonly paramsHash: string;
}

/** An output item as remembered: its blob is already stored and granted to the project. */
export interface RememberedOutput {
  readonly path: string;
  readonly blob: string;
  readonly meta: JsonObject;
  readonly annotations: JsonValue;
}

/** What an item transform made of one input item. */
export type ItemOutcome = { readonly outputs: readonly RememberedOutput[] } | { readonly rejected: string };

/** A finished run: its input, output, and what it rejected. */
export interface TransformRun {
  readonly inputSnapshot: string;
  readonly outputSnapshot: string;
  readonly rejected: readonly { path: string; reason: string }[];
}

/**
 * The memo of transform runs in a project (adapters/db/kysely-transform-memo-store.ts). Entries
 * are facts about deterministic functions, so they never go stale; writing one twice is fine.
 */
export interface TransformMemo {
  /** The run of `key` on `inputSnapshot`, if one finished. */
  findRun(key: TransformKey, inputSnapshot: string): Promise<TransformRun | null>;
  /** The most recent finished run of `key` on any input: the base of an incremental run. */
  latestRun(key: TransformKey): Promise<TransformRun | null>;
  saveRun(key: TransformKey, params: JsonObject, run: TransformRun): Promise<void>;
  /** Outcomes of input items by their keys (see `inputKeyOf`); absent keys were never computed. */
  findItems(key: TransformKey, inputKeys: readonly string[]): Promise<Map<string, ItemOutcome>>;
  saveItems(key: TransformKey, outcomes: ReadonlyMap<string, ItemOutcome>): Promise<void>;
}
