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
  /** In path order. */
  readonly items: readonly {
    readonly path: string;
    readonly blob: string;
    readonly size: number;
    readonly meta: JsonValue;
    readonly annotations: JsonValue;
  }[];
}
