import type { LabelingProgress } from '../../core/labels/labeling-figures.ts';
import type { LabelingProjectFields } from '../../core/labels/labeling-project-fields.ts';
import type { JsonValue } from '../../core/canonical-json.ts';
import type { Annotation } from '../../core/labels/annotation.ts';
import type { LabelSchema } from '../../core/labels/label-schema.ts';

export type MemberRole = 'labeler' | 'reviewer';
export type TaskStatus = 'open' | 'review' | 'done';
export type EventAction = 'submit' | 'skip' | 'review.accept' | 'review.reject' | 'commit';

/** A labeling project as stored. */
export interface LabelingProjectRecord extends LabelingProjectFields {
  readonly projectId: string;
  readonly datasetId: string;
  /** The branch head the tasks were last brought up to; null before the first sync. */
  readonly syncedCommit: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export type NewLabelingProject = Omit<LabelingProjectRecord, 'project' | 'dataset' | 'syncedCommit' | 'createdAt'>;

/** What `updateProject` may change. */
export interface LabelingProjectChanges {
  readonly schema?: LabelSchema | undefined;
  readonly instructions?: string | undefined;
  readonly queueOrder?: string | undefined;
  readonly autoCommitEvery?: number | null | undefined;
  readonly reviewThreshold?: number | undefined;
}

export interface LabelingMember {
  readonly user: string;
  readonly role: MemberRole;
}

export interface NewTask {
  readonly path: string;
  readonly sortKey: string;
  /** Labelers the item needs (1, or the project's overlap). */
  readonly needed: number;
}

export interface TaskState {
  readonly path: string;
  readonly status: TaskStatus;
  readonly needed: number;
  readonly submitted: number;
  readonly agreement: number | null;
  readonly agreementKind: string | null;
  readonly reviewReason: string | null;
}

export interface LeasedTask {
  readonly path: string;
  readonly expiresAt: Date;
}

export interface SubmissionRecord {
  readonly userId: string;
  readonly user: string;
  readonly annotations: Annotation[];
  readonly time: Date;
  /** The `submit` event that recorded it. */
  readonly eventSeq: number;
}

export interface NewEvent {
  readonly labelingProjectId: string;
  readonly datasetId: string;
  readonly path: string;
  readonly userId: string | null;
  readonly user: string;
  readonly action: EventAction;
  readonly annotations?: JsonValue | undefined;
  readonly comment?: string | null | undefined;
  readonly time: Date;
  readonly submissionId?: string | undefined;
  readonly commit?: string | undefined;
  readonly snapshot?: string | undefined;
}

export interface EventRecord {
  readonly seq: number;
  readonly path: string;
  /** The labeling project's name; null once the labeling project is deleted. */
  readonly labelingProject: string | null;
  readonly userId: string | null;
  readonly user: string;
  readonly action: EventAction;
  readonly annotations: JsonValue | null;
  readonly comment: string | null;
  readonly time: Date;
  readonly commit: string | null;
  readonly snapshot: string | null;
  /** What a `submit` answered, kept so a retry with the same submission id gets the same answer. */
  readonly result: JsonValue | null;
}

/** Task counts of a labeling project (see core/labels/labeling-figures.ts). */
export type Progress = LabelingProgress;

/** Per labeler figures from the events of a labeling project. */
export interface LabelerFigures {
  readonly user: string;
  readonly submitted: number;
  readonly skipped: number;
  readonly accepted: number;
  readonly rejected: number;
  /** First and last submission, null without any. */
  readonly firstSubmit: Date | null;
  readonly lastSubmit: Date | null;
  /** Median seconds between a labeler's consecutive submissions; null with fewer than two. */
  readonly medianSeconds: number | null;
}

/** A staged label edit not yet committed; `version` tells a later edit of the same path apart. */
export interface UncommittedEdit {
  readonly path: string;
  readonly version: number;
}

/**
 * Labeling projects, their members, tasks with leases, submissions, skips and the per-item
 * history of events. Times come from the caller (the service's clock), never from the
 * database, so lease expiry is testable. `transaction` runs work atomically; the methods of
 * the store it hands over join that transaction.
 */
export interface LabelingStore {
  transaction<T>(work: (tx: LabelingStore) => Promise<T>): Promise<T>;

  /** @throws AlreadyExistsError when the project has a labeling project of that name */
  createProject(input: NewLabelingProject): Promise<LabelingProjectRecord>;
  getProject(project: string, name: string): Promise<LabelingProjectRecord | null>;
  /** In name order. */
  listProjects(project: string): Promise<LabelingProjectRecord[]>;
  updateProject(id: string, changes: LabelingProjectChanges): Promise<LabelingProjectRecord>;
  /** Compare-and-swap of the synced head; false when another sync moved it first. */
  markSynced(id: string, from: string | null, to: string): Promise<boolean>;

  /** Adds or changes a member; null when there is no user of that name. */
  putMember(labelingProjectId: string, user: string, role: MemberRole): Promise<LabelingMember | null>;
  removeMember(labelingProjectId: string, user: string): Promise<boolean>;
  /** In user name order. */
  listMembers(labelingProjectId: string): Promise<LabelingMember[]>;
  /** The user's role in each of the labeling projects it is a member of, by labeling project id. */
  rolesOf(userId: string, labelingProjectIds: readonly string[]): Promise<Map<string, MemberRole>>;

  /** Inserts tasks, leaving existing paths as they are; returns how many were new. */
  insertTasks(labelingProjectId: string, tasks: readonly NewTask[]): Promise<number>;
  removeTasks(labelingProjectId: string, paths: readonly string[]): Promise<number>;
  setSortKeys(labelingProjectId: string, keys: readonly { path: string; sortKey: string }[]): Promise<void>;
  /**
   * Leases up to `count` open tasks to the user, in (sort key, path) order: tasks it can still
   * label (not submitted or skipped by it) with room left (submissions plus others' live
   * leases below the labelers needed). Two concurrent calls never lease the last slot of a
   * task twice. `exclude` paths are never returned.
   */
  leaseTasks(labelingProjectId: string, userId: string, input: { count: number; exclude: readonly string[]; now: Date; until: Date }): Promise<LeasedTask[]>;
  /** The user's live leases (expiring after `now`), in queue order, renewed until `until`. */
  renewLeases(labelingProjectId: string, userId: string, input: { now: Date; until: Date }): Promise<LeasedTask[]>;
  /** When the user's lease on the task expires (or expired); null without one. */
  leaseOf(labelingProjectId: string, path: string, userId: string): Promise<Date | null>;
  /** Live leases of other users on the task. */
  othersLeases(labelingProjectId: string, path: string, userId: string, now: Date): Promise<number>;
  restoreLease(labelingProjectId: string, path: string, userId: string, expiresAt: Date): Promise<void>;
  releaseLease(labelingProjectId: string, path: string, userId: string): Promise<boolean>;

  /** The task, locked until the transaction ends; null when the project has no such task. */
  lockTask(labelingProjectId: string, path: string): Promise<TaskState | null>;
  setTask(labelingProjectId: string, path: string, state: Omit<TaskState, 'path' | 'needed'>): Promise<void>;
  /** In the order they came. */
  submissions(labelingProjectId: string, path: string): Promise<SubmissionRecord[]>;
  addSubmission(labelingProjectId: string, path: string, submission: SubmissionRecord & { classSet: string }): Promise<void>;
  /** Removes one labeler's submission of the task (a submission that could not be staged). */
  removeSubmission(labelingProjectId: string, path: string, userId: string): Promise<void>;
  /** Removes the task's submissions (a rejected round); their events stay. */
  clearSubmissions(labelingProjectId: string, path: string): Promise<number>;
  hasSkipped(labelingProjectId: string, path: string, userId: string): Promise<boolean>;
  addSkip(labelingProjectId: string, path: string, userId: string, reason: string, time: Date): Promise<void>;

  addEvent(event: NewEvent): Promise<EventRecord>;
  deleteEvent(seq: number): Promise<void>;
  eventBySubmission(labelingProjectId: string, submissionId: string): Promise<EventRecord | null>;
  setEventResult(seq: number, result: JsonValue): Promise<void>;
  /** Marks `submit` events with what review decided of them. */
  setReviewOutcome(seqs: readonly number[], outcome: 'accepted' | 'rejected'): Promise<void>;
  /** Records that an event's annotations are staged on the branch, waiting for a commit. */
  markStaged(labelingProjectId: string, path: string, eventSeq: number): Promise<void>;
  uncommitted(labelingProjectId: string): Promise<UncommittedEdit[]>;
  /**
   * Records a commit of staged edits: their events get the commit and snapshot, each path a
   * `commit` event, and the tasks count as committed unless edited again since (`version`).
   */
  markCommitted(
    labelingProject: LabelingProjectRecord,
    edits: readonly UncommittedEdit[],
    commit: { commit: string; snapshot: string; user: string; userId: string | null; time: Date },
  ): Promise<void>;
  /** An item's events across labeling projects of the dataset, newest first. */
  history(datasetId: string, path: string, limit: number): Promise<EventRecord[]>;

  progress(labelingProjectId: string, now: Date): Promise<Progress>;
  /** Tasks in review, lowest agreement first (unknown agreement first of all). */
  reviewQueue(labelingProjectId: string, limit: number): Promise<TaskState[]>;
  labelerFigures(labelingProjectId: string): Promise<LabelerFigures[]>;
  /** Per completed overlapped item compared by class: each labeler's class set, in submission order. */
  classRatings(labelingProjectId: string): Promise<string[][]>;
  /** Completed overlapped items: how many, the mean geometry agreement, how many below `threshold`. */
  agreementSummary(labelingProjectId: string, threshold: number): Promise<{ items: number; meanGeometry: number | null; belowThreshold: number }>;
  /** Media types of blobs, by hash (absent when unknown). */
  mediaTypes(hashes: readonly string[]): Promise<Map<string, string>>;
}
