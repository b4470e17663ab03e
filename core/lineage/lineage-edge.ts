/**
 * Lineage: typed edges from an upstream object (`source`, e.g. a snapshot hash) to what was
 * made from it or done with it (`target`, a hash or id; none for a plain read).
 * - `derived_from`: snapshot → snapshot made from it by a transform run
 * - `trained_on`, `evaluated_on`: snapshot → model or run
 * - `deployed_as`, `predicted_by`, `fed_back_into`: the serving and feedback loop
 * - `read`: a snapshot was served (tar, WebDataset, manifest, files, export); a leaf that
 *   names who read it, how and with which selection, so a training run can point at it.
 */
export type LineageKind = 'derived_from' | 'trained_on' | 'evaluated_on' | 'deployed_as' | 'predicted_by' | 'fed_back_into' | 'read';

export const LINEAGE_KINDS: readonly LineageKind[] = ['derived_from', 'trained_on', 'evaluated_on', 'deployed_as', 'predicted_by', 'fed_back_into', 'read'];

export function isLineageKind(value: unknown): value is LineageKind {
  return typeof value === 'string' && (LINEAGE_KINDS as readonly string[]).includes(value);
}

/** Which way a lineage query walks from a hash. */
export type LineageDirection = 'upstream' | 'downstream' | 'both';

/** An edge as it is recorded; the store adds its id, position and time. */
export interface LineageEdgeDraft {
  /** The project's name; edges never cross projects. */
  readonly project: string;
  readonly kind: LineageKind;
  readonly source: string;
  readonly target: string | null;
  readonly actorId: string | null;
  readonly actorName: string;
  /** "token:<id>", "session:<id>" or "system:<what>". */
  readonly credential: string;
  /** Canonical JSON: how (e.g. `{"via":"tar","shard":"0/8"}`), never secrets. */
  readonly details: string;
}

export interface LineageEdge extends LineageEdgeDraft {
  /** A UUID. */
  readonly id: string;
  /** Increases with every edge recorded (across projects): the order of listings and their cursor. */
  readonly seq: number;
  readonly at: Date;
}
