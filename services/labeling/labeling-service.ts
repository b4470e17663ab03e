import type { Clock } from '../../core/ports.ts';
import type { Versioning } from '../../core/versioning/versioning.ts';
import type { AccessControl } from '../access/access-control.ts';
import type { Actor } from '../actor.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import type { DatasetService } from '../dataset-service.ts';
import { labelingDashboard, type LabelingDashboard } from './dashboard.ts';
import { itemHistory } from './history.ts';
import { commitLabels, type LabelCommit } from './label-commits.ts';
import { DEFAULT_LEASE_MS, type LabelingDeps } from './labeling-deps.ts';
import {
  createLabelingProject,
  getLabelingProject,
  listLabelingProjects,
  membersOf,
  removeLabelingMember,
  setLabelingMember,
  updateLabelingProject,
  type CreateLabelingProjectInput,
  type LabelingProjectView,
  type UpdateLabelingProjectInput,
} from './labeling-projects.ts';
import type { EventRecord, LabelingMember, LabelingStore, Progress } from './labeling-store.ts';
import { BUILT_IN_ORDERS, type QueueOrderKind } from './queue-order.ts';
import { reviewItem, reviewQueue, type ReviewInput, type ReviewTask } from './review.ts';
import { submitLabels, type SubmitInput, type SubmitResult } from './submissions.ts';
import { nextTasks, releaseTask, skipTask, type LabelingTask } from './task-queue.ts';

export interface LabelingServiceOptions {
  readonly store: LabelingStore;
  readonly engine: Versioning;
  readonly datasets: DatasetService;
  readonly access: AccessControl;
  readonly audit: AuditRecorder;
  /** Default: the system clock. Tests pass their own to expire leases. */
  readonly clock?: Clock | undefined;
  /** How long a lease lasts; default ten minutes. */
  readonly leaseMs?: number | undefined;
  /** Queue orders besides the built-in dataset, random and meta:<key>. */
  readonly queueOrders?: readonly QueueOrderKind[] | undefined;
}

/**
 * Labeling use cases for the API: labeling projects over a dataset branch, their members, the
 * task queue with leases, submissions with overlap and consensus, review, label commits, item
 * history and the dashboard. Each method is one use case (see the module it delegates to for
 * its contract); authorization and audit happen there, so every caller is guarded alike.
 */
export class LabelingService {
  private readonly deps: LabelingDeps;

  constructor(options: LabelingServiceOptions) {
    this.deps = {
      store: options.store,
      engine: options.engine,
      datasets: options.datasets,
      access: options.access,
      audit: options.audit,
      clock: options.clock ?? { now: () => new Date() },
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      queueOrders: [...BUILT_IN_ORDERS, ...(options.queueOrders ?? [])],
    };
  }

  createProject(actor: Actor | null, input: CreateLabelingProjectInput): Promise<LabelingProjectView> {
    return createLabelingProject(this.deps, actor, input);
  }

  updateProject(actor: Actor | null, input: UpdateLabelingProjectInput): Promise<LabelingProjectView> {
    return updateLabelingProject(this.deps, actor, input);
  }

  getProject(actor: Actor | null, project: string, name: string): Promise<LabelingProjectView> {
    return getLabelingProject(this.deps, actor, project, name);
  }

  listProjects(actor: Actor | null, project: string): Promise<LabelingProjectView[]> {
    return listLabelingProjects(this.deps, actor, project);
  }

  /** The members of a labeling project its caller was allowed to load. */
  members(lp: LabelingProjectView): Promise<LabelingMember[]> {
    return membersOf(this.deps, lp);
  }

  /** The progress of a labeling project its caller was allowed to load. */
  progress(lp: LabelingProjectView): Promise<Progress> {
    return this.deps.store.progress(lp.id, this.deps.clock.now());
  }

  setMember(actor: Actor | null, input: { project: string; labelingProject: string; user: string; role: string }): Promise<LabelingMember> {
    return setLabelingMember(this.deps, actor, input);
  }

  removeMember(actor: Actor | null, input: { project: string; labelingProject: string; user: string }): Promise<boolean> {
    return removeLabelingMember(this.deps, actor, input);
  }

  nextTasks(actor: Actor | null, input: { project: string; labelingProject: string; count?: number | null; exclude?: readonly string[] | null }): Promise<LabelingTask[]> {
    return nextTasks(this.deps, actor, input);
  }

  submit(actor: Actor | null, input: SubmitInput): Promise<SubmitResult> {
    return submitLabels(this.deps, actor, input);
  }

  skip(actor: Actor | null, input: { project: string; labelingProject: string; path: string; reason: string }): Promise<boolean> {
    return skipTask(this.deps, actor, input);
  }

  release(actor: Actor | null, input: { project: string; labelingProject: string; path: string }): Promise<boolean> {
    return releaseTask(this.deps, actor, input);
  }

  reviewQueue(actor: Actor | null, input: { project: string; labelingProject: string; first?: number | null }): Promise<ReviewTask[]> {
    return reviewQueue(this.deps, actor, input);
  }

  review(actor: Actor | null, input: ReviewInput): Promise<EventRecord> {
    return reviewItem(this.deps, actor, input);
  }

  commit(actor: Actor | null, input: { project: string; labelingProject: string; message?: string | null }): Promise<LabelCommit | null> {
    return commitLabels(this.deps, actor, input);
  }

  history(actor: Actor | null, input: { project: string; dataset: string; path: string; first?: number | null }): Promise<EventRecord[]> {
    return itemHistory(this.deps, actor, input);
  }

  dashboard(actor: Actor | null, input: { project: string; labelingProject: string }): Promise<LabelingDashboard> {
    return labelingDashboard(this.deps, actor, input);
  }
}
