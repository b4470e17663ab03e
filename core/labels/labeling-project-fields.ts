import type { LabelSchema } from './label-schema.ts';

/**
 * A labeling project's own fields, as the service stores them and the API returns them: the
 * service's record, the web UI and the CLI extend this one definition with what each adds
 * (ids and dates; members, progress and the caller's role).
 */
export interface LabelingProjectFields {
  readonly id: string;
  /** The project's (tenant's) name. */
  readonly project: string;
  readonly name: string;
  readonly dataset: string;
  readonly branch: string;
  readonly schema: LabelSchema;
  readonly instructions: string;
  readonly overlap: number;
  readonly overlapFraction: number;
  /** "dataset" | "random" | "meta:<key>" */
  readonly queueOrder: string;
  readonly autoCommitEvery: number | null;
  readonly reviewThreshold: number;
}
