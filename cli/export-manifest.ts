import type { JsonValue } from '../core/canonical-json.ts';

/**
 * The sidecar `export` writes at the top of its directory. `push` never sends a top-level
 * file of this name, so an exported directory can be edited and pushed back as it is.
 */
export const MANIFEST_NAME = 'sheaf.json';

/** Contents of `sheaf.json`: what was exported, with each item's metadata and annotations. */
export interface ExportManifest {
  /** Null when a bare snapshot hash was exported. */
  readonly dataset: string | null;
  readonly ref: string;
  readonly snapshot: string;
  /**
   * What part of the snapshot was exported (null: all of it). A directory exported with the
   * same selection is updated from the diff between the two snapshots; absent in manifests of
   * older exports, which are then compared item by item.
   */
  readonly selection?: { readonly prefix: string | null; readonly filter: string | null } | undefined;
  /** In path order. */
  readonly items: readonly {
    readonly path: string;
    readonly blob: string;
    readonly size: number;
    readonly meta: JsonValue;
    readonly annotations: JsonValue;
  }[];
}
