import type { LineageDirection, LineageEdge, LineageEdgeDraft, LineageKind } from './lineage-edge.ts';

/** A walk over a project's lineage graph from one hash, one page at a time. */
export interface LineageQuery {
  readonly project: string;
  readonly hash: string;
  readonly direction: LineageDirection;
  /** Only edges of these kinds are listed and followed; all kinds when absent. */
  readonly kinds?: readonly LineageKind[] | undefined;
  /** Edges with a larger `seq` only (keyset paging). */
  readonly afterSeq?: number | undefined;
  readonly limit: number;
}

/**
 * Where lineage edges live (adapters/db/kysely-lineage-store.ts). Edges are appended, never
 * changed; they belong to a project and go with it.
 */
export interface LineageStore {
  /** @throws NotFoundError('project') */
  append(draft: LineageEdgeDraft): Promise<LineageEdge>;
  /**
   * The edges reached from `hash`, in `seq` order: downstream, the edges leaving it and,
   * recursively, those leaving their targets; upstream, the edges arriving at it and those
   * arriving at their sources. A `read` edge is a leaf: a walk never continues past it. Each
   * edge is listed once, whatever the number of paths reaching it (cycles end the walk too).
   */
  walk(query: LineageQuery): Promise<LineageEdge[]>;
}
