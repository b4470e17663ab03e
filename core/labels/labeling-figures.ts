/**
 * The figures a labeling project reports, as the API gives them: the service computes them,
 * the web UI and the CLI show them. One definition, so the three cannot drift apart.
 */

/** Task counts of a labeling project. */
export interface LabelingProgress {
  readonly total: number;
  /** Open tasks no labeler holds. */
  readonly unlabeled: number;
  /** Tasks under a live lease. */
  readonly leased: number;
  readonly inReview: number;
  readonly done: number;
  readonly skipped: number;
  /** Label edits staged on the branch and not yet committed. */
  readonly uncommitted: number;
}

/** One labeler's throughput and outcomes. */
export interface LabelerStats {
  readonly user: string;
  readonly submitted: number;
  readonly skipped: number;
  /** Submissions a reviewer accepted, and rejected. */
  readonly accepted: number;
  readonly rejected: number;
  /** Submissions per hour over the labeler's active span. */
  readonly perHour: number;
  /** Median seconds between consecutive submissions; null with fewer than two. */
  readonly medianSeconds: number | null;
}

/** Agreement between labelers over the overlapped items. */
export interface AgreementStats {
  /** Overlapped items whose labelers all submitted. */
  readonly items: number;
  /** Chance-corrected agreement on class labels: Cohen's kappa with 2 labelers per item, Fleiss' with more. */
  readonly meanKappa: number | null;
  /** Mean agreement (matched IoU) of the items compared by shapes. */
  readonly meanIoU: number | null;
  readonly belowThreshold: number;
}
