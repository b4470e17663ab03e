import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import type { AgreementStats, LabelerStats, LabelingProgress } from '../../../core/labels/labeling-figures.ts';
import type { LabelingProjectFields } from '../../../core/labels/labeling-project-fields.ts';

export type { AgreementStats, LabelerStats, LabelingProgress };
import { DEFAULT_BACKOFF, UNTIL_ACKNOWLEDGED, type BackoffPolicy } from './backoff.ts';
import { graphql as pageClient, type GraphqlClient, type RequestOptions } from './graphql-client.ts';

/** Where the asking user stands in a labeling project. */
export type LabelingRole = 'manager' | 'reviewer' | 'labeler';

export interface LabelingMember {
  readonly user: string;
  readonly role: 'labeler' | 'reviewer';
}

export interface LabelingProject extends LabelingProjectFields {
  readonly members: readonly LabelingMember[];
  readonly progress: LabelingProgress;
  readonly myRole: LabelingRole | null;
}

/** An item leased to the caller for labeling. */
export interface LabelingTask {
  readonly path: string;
  readonly blob: string;
  readonly size: number;
  readonly mediaType: string | null;
  readonly meta: Record<string, unknown>;
  /** The item's annotations on the branch, model pre-labels included; null when unlabeled. */
  readonly annotations: Annotation[] | null;
  readonly leaseExpiresAt: string;
  readonly contentUrl: string;
  readonly previewUrl: string;
}

export interface Submission {
  readonly user: string;
  readonly annotations: Annotation[];
  readonly time: string;
}

export interface ReviewTask {
  readonly path: string;
  readonly blob: string;
  readonly mediaType: string | null;
  readonly meta: Record<string, unknown>;
  readonly annotations: Annotation[] | null;
  readonly contentUrl: string;
  readonly previewUrl: string;
  readonly submissions: readonly Submission[];
  readonly agreement: number | null;
  readonly reason: string;
}

export type AnnotationAction = 'submit' | 'skip' | 'review.accept' | 'review.reject' | 'commit';

export interface AnnotationEvent {
  readonly id: string;
  readonly path: string;
  readonly labelingProject: string | null;
  readonly user: string;
  readonly action: AnnotationAction;
  readonly annotations: Annotation[] | null;
  readonly comment: string | null;
  readonly time: string;
  readonly commit: string | null;
  readonly snapshot: string | null;
}

export interface LabelCommit {
  readonly commit: string;
  readonly snapshot: string;
  readonly items: number;
}

export interface SubmitResult {
  readonly path: string;
  /** "done", "waiting" (more overlap labels needed) or "review". */
  readonly status: 'done' | 'waiting' | 'review';
  /** The commit an auto-commit made with this submission, if it made one. */
  readonly committed: LabelCommit | null;
}

export interface LabelingDashboard {
  readonly progress: LabelingProgress;
  readonly labelers: readonly LabelerStats[];
  readonly agreement: AgreementStats;
}

/** The settings of a new labeling project; absent ones take the server's defaults. */
export interface NewLabelingProject {
  readonly project: string;
  readonly name: string;
  readonly dataset: string;
  readonly branch: string;
  readonly schema: LabelSchema;
  readonly instructions?: string;
  readonly overlap?: number;
  readonly overlapFraction?: number;
  readonly queueOrder?: string;
  readonly autoCommitEvery?: number;
  readonly reviewThreshold?: number;
}

export interface LabelingProjectChanges {
  readonly schema?: LabelSchema;
  readonly instructions?: string;
  readonly queueOrder?: string;
  readonly autoCommitEvery?: number;
  readonly reviewThreshold?: number;
}

/** A project (tenant) the caller belongs to. */
export interface ProjectSummary {
  readonly name: string;
}

const PROGRESS = 'progress { total unlabeled leased inReview done skipped uncommitted }';
const PROJECT = `id project name dataset branch schema instructions overlap overlapFraction queueOrder autoCommitEvery reviewThreshold
  members { user role } ${PROGRESS} myRole`;
const TASK = 'path blob size mediaType meta annotations leaseExpiresAt contentUrl previewUrl';
const EVENT = 'id path labelingProject user action annotations comment time commit snapshot';
const COMMIT = 'commit snapshot items';

/**
 * Typed calls of the labeling GraphQL API (the contract in the server's schema). Reads and the
 * calls that are idempotent by design (a lease request, a submission with its id, a skip or
 * release of the same path) are retried on network failures and 5xx answers; the others are
 * sent once. Every failure is an ApiError with the server's code.
 */
export class LabelingApi {
  constructor(private readonly client: GraphqlClient = pageClient) {}

  /** The projects (tenants) the caller is a member of; administrators: all. */
  async projects(): Promise<ProjectSummary[]> {
    const data = await this.client.request<{ projects: { edges: { node: ProjectSummary }[] } }>(
      'query Projects { projects(first: 100) { edges { node { name } } } }',
      {},
      read(),
    );
    return data.projects.edges.map((edge) => edge.node);
  }

  /** The labeling projects of `project` the caller may see (labelers and reviewers: their own). */
  async labelingProjects(project: string): Promise<LabelingProject[]> {
    const data = await this.client.request<{ labelingProjects: LabelingProject[] }>(
      `query LabelingProjects($project: String!) { labelingProjects(project: $project) { ${PROJECT} } }`,
      { project },
      read(),
    );
    return data.labelingProjects;
  }

  async labelingProject(project: string, name: string, options: RequestOptions = {}): Promise<LabelingProject> {
    const data = await this.client.request<{ labelingProject: LabelingProject }>(
      `query LabelingProject($project: String!, $name: String!) { labelingProject(project: $project, name: $name) { ${PROJECT} } }`,
      { project, name },
      read(options),
    );
    return data.labelingProject;
  }

  async progress(project: string, name: string): Promise<LabelingProgress> {
    const data = await this.client.request<{ labelingProject: { progress: LabelingProgress } }>(
      `query LabelingProgress($project: String!, $name: String!) { labelingProject(project: $project, name: $name) { ${PROGRESS} } }`,
      { project, name },
      read(),
    );
    return data.labelingProject.progress;
  }

  /**
   * Leases up to `count` items: those already leased to the caller come first, then the queue.
   * `exclude` names the paths the page already holds, so it is not handed them twice.
   */
  async nextTasks(project: string, labelingProject: string, count: number, exclude: readonly string[] = [], options: RequestOptions = {}): Promise<LabelingTask[]> {
    const data = await this.client.request<{ nextTasks: LabelingTask[] }>(
      `mutation NextTasks($project: String!, $labelingProject: String!, $count: Int, $exclude: [String!]) {
        nextTasks(project: $project, labelingProject: $labelingProject, count: $count, exclude: $exclude) { ${TASK} } }`,
      { project, labelingProject, count, exclude },
      read(options),
    );
    return data.nextTasks;
  }

  /**
   * Submits the labels of a leased item. The server applies a `submissionId` once, so the call
   * is retried until acknowledged unless `options.retry` says otherwise.
   */
  async submitLabels(
    input: { project: string; labelingProject: string; path: string; annotations: readonly Annotation[]; submissionId: string },
    options: RequestOptions = {},
  ): Promise<SubmitResult> {
    const data = await this.client.request<{ submitLabels: SubmitResult }>(
      `mutation SubmitLabels($project: String!, $labelingProject: String!, $path: String!, $annotations: JSON!, $submissionId: String!) {
        submitLabels(project: $project, labelingProject: $labelingProject, path: $path, annotations: $annotations, submissionId: $submissionId) {
          path status committed { ${COMMIT} } } }`,
      input,
      { retry: UNTIL_ACKNOWLEDGED, ...options },
    );
    return data.submitLabels;
  }

  async skipTask(project: string, labelingProject: string, path: string, reason: string, options: RequestOptions = {}): Promise<boolean> {
    const data = await this.client.request<{ skipTask: boolean }>(
      `mutation SkipTask($project: String!, $labelingProject: String!, $path: String!, $reason: String!) {
        skipTask(project: $project, labelingProject: $labelingProject, path: $path, reason: $reason) }`,
      { project, labelingProject, path, reason },
      { retry: UNTIL_ACKNOWLEDGED, ...options },
    );
    return data.skipTask;
  }

  async releaseTask(project: string, labelingProject: string, path: string): Promise<boolean> {
    const data = await this.client.request<{ releaseTask: boolean }>(
      `mutation ReleaseTask($project: String!, $labelingProject: String!, $path: String!) {
        releaseTask(project: $project, labelingProject: $labelingProject, path: $path) }`,
      { project, labelingProject, path },
      read(),
    );
    return data.releaseTask;
  }

  /** Commits the staged labels of the project's branch; null when nothing was staged. */
  async commitLabels(project: string, labelingProject: string, message?: string): Promise<LabelCommit | null> {
    const data = await this.client.request<{ commitLabels: LabelCommit | null }>(
      `mutation CommitLabels($project: String!, $labelingProject: String!, $message: String) {
        commitLabels(project: $project, labelingProject: $labelingProject, message: $message) { ${COMMIT} } }`,
      { project, labelingProject, message: message ?? null },
    );
    return data.commitLabels;
  }

  /** Items waiting for review, lowest agreement first. */
  async reviewQueue(project: string, labelingProject: string, first = 10): Promise<ReviewTask[]> {
    const data = await this.client.request<{ reviewQueue: ReviewTask[] }>(
      `query ReviewQueue($project: String!, $labelingProject: String!, $first: Int) {
        reviewQueue(project: $project, labelingProject: $labelingProject, first: $first) {
          path blob mediaType meta annotations contentUrl previewUrl submissions { user annotations time } agreement reason } }`,
      { project, labelingProject, first },
      read(),
    );
    return data.reviewQueue;
  }

  /** Accepts (optionally with corrected annotations) or rejects an item in review; reject re-queues it. */
  async reviewItem(input: {
    project: string;
    labelingProject: string;
    path: string;
    decision: 'accept' | 'reject';
    comment?: string;
    annotations?: readonly Annotation[];
  }): Promise<AnnotationEvent> {
    const data = await this.client.request<{ reviewItem: AnnotationEvent }>(
      `mutation ReviewItem($project: String!, $labelingProject: String!, $path: String!, $decision: String!, $comment: String, $annotations: JSON) {
        reviewItem(project: $project, labelingProject: $labelingProject, path: $path, decision: $decision, comment: $comment, annotations: $annotations) { ${EVENT} } }`,
      { comment: null, annotations: null, ...input },
    );
    return data.reviewItem;
  }

  async labelingDashboard(project: string, labelingProject: string): Promise<LabelingDashboard> {
    const data = await this.client.request<{ labelingDashboard: LabelingDashboard }>(
      `query LabelingDashboard($project: String!, $labelingProject: String!) {
        labelingDashboard(project: $project, labelingProject: $labelingProject) {
          ${PROGRESS} labelers { user submitted skipped accepted rejected perHour medianSeconds }
          agreement { items meanKappa meanIoU belowThreshold } } }`,
      { project, labelingProject },
      read(),
    );
    return data.labelingDashboard;
  }

  /** The labeling history of one item, newest first. */
  async itemHistory(project: string, dataset: string, path: string, first = 50): Promise<AnnotationEvent[]> {
    const data = await this.client.request<{ itemHistory: AnnotationEvent[] }>(
      `query ItemHistory($project: String!, $dataset: String!, $path: String!, $first: Int) {
        itemHistory(project: $project, dataset: $dataset, path: $path, first: $first) { ${EVENT} } }`,
      { project, dataset, path, first },
      read(),
    );
    return data.itemHistory;
  }

  async createLabelingProject(input: NewLabelingProject): Promise<LabelingProject> {
    const data = await this.client.request<{ createLabelingProject: LabelingProject }>(
      `mutation CreateLabelingProject($project: String!, $name: String!, $dataset: String!, $branch: String!, $schema: JSON!, $instructions: String,
        $overlap: Int, $overlapFraction: Float, $queueOrder: String, $autoCommitEvery: Int, $reviewThreshold: Float) {
        createLabelingProject(project: $project, name: $name, dataset: $dataset, branch: $branch, schema: $schema, instructions: $instructions,
          overlap: $overlap, overlapFraction: $overlapFraction, queueOrder: $queueOrder, autoCommitEvery: $autoCommitEvery, reviewThreshold: $reviewThreshold) {
          ${PROJECT} } }`,
      { ...input },
    );
    return data.createLabelingProject;
  }

  async updateLabelingProject(project: string, name: string, changes: LabelingProjectChanges): Promise<LabelingProject> {
    const data = await this.client.request<{ updateLabelingProject: LabelingProject }>(
      `mutation UpdateLabelingProject($project: String!, $name: String!, $schema: JSON, $instructions: String, $queueOrder: String,
        $autoCommitEvery: Int, $reviewThreshold: Float) {
        updateLabelingProject(project: $project, name: $name, schema: $schema, instructions: $instructions, queueOrder: $queueOrder,
          autoCommitEvery: $autoCommitEvery, reviewThreshold: $reviewThreshold) { ${PROJECT} } }`,
      { project, name, ...changes },
    );
    return data.updateLabelingProject;
  }

  async setLabelingMember(project: string, labelingProject: string, user: string, role: 'labeler' | 'reviewer'): Promise<LabelingMember> {
    const data = await this.client.request<{ setLabelingMember: LabelingMember }>(
      `mutation SetLabelingMember($project: String!, $labelingProject: String!, $user: String!, $role: String!) {
        setLabelingMember(project: $project, labelingProject: $labelingProject, user: $user, role: $role) { user role } }`,
      { project, labelingProject, user, role },
    );
    return data.setLabelingMember;
  }

  async removeLabelingMember(project: string, labelingProject: string, user: string): Promise<boolean> {
    const data = await this.client.request<{ removeLabelingMember: boolean }>(
      `mutation RemoveLabelingMember($project: String!, $labelingProject: String!, $user: String!) {
        removeLabelingMember(project: $project, labelingProject: $labelingProject, user: $user) }`,
      { project, labelingProject, user },
    );
    return data.removeLabelingMember;
  }
}

/** Reads (and calls that change nothing when repeated) retry a few times by default. */
function read(options: RequestOptions = {}, retry: BackoffPolicy = DEFAULT_BACKOFF): RequestOptions {
  return { retry, ...options };
}

/** The page's labeling API, over the page's client and session. */
export const labeling = new LabelingApi();
