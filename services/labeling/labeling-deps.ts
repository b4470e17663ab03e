import type { Clock } from '../../core/ports.ts';
import type { Versioning } from '../../core/versioning/versioning.ts';
import type { AccessControl } from '../access/access-control.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import type { DatasetService } from '../dataset-service.ts';
import type { LabelingStore } from './labeling-store.ts';
import type { QueueOrderKind } from './queue-order.ts';

/** A lease lasts ten minutes unless the service is configured otherwise. */
export const DEFAULT_LEASE_MS = 10 * 60_000;

/**
 * What the labeling use cases run on. Reads of the branch (its head, items and diffs) go to
 * the engine directly, after the labeling access check; every change to the branch (staged
 * labels, commits) goes through the DatasetService, so its own permission checks and audit
 * entries apply as they do to any client.
 */
export interface LabelingDeps {
  readonly store: LabelingStore;
  readonly engine: Versioning;
  readonly datasets: DatasetService;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  readonly clock: Clock;
  /** How long a leased task stays the labeler's without a submit. */
  readonly leaseMs: number;
  /** The queue orders projects may choose from (BUILT_IN_ORDERS, plus any the server adds). */
  readonly queueOrders: readonly QueueOrderKind[];
}
