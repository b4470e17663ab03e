import type { LabelingProgress } from '../core/labels/labeling-figures.ts';
import type { LabelingProjectFields } from '../core/labels/labeling-project-fields.ts';

/** Task counts of a labeling project, as the API gives them. */
export type LabelingProgressView = LabelingProgress;

/** A labeling project as the commands read it. */
export interface LabelingProjectView extends LabelingProjectFields {
  readonly myRole: string | null;
  readonly members: readonly { readonly user: string; readonly role: string }[];
  readonly progress: LabelingProgressView;
}

/** The selection of LabelingProgress. */
export const PROGRESS_FIELDS = 'total unlabeled leased inReview done skipped uncommitted';

/** The selection of LabelingProject matching `LabelingProjectView`. */
export const PROJECT_FIELDS = `id project name dataset branch schema instructions overlap overlapFraction queueOrder autoCommitEvery reviewThreshold myRole
  members { user role } progress { ${PROGRESS_FIELDS} }`;

/**
 * The share of tasks done, in percent with one decimal, rounded down so that 100 means all
 * done; a project without tasks is 100.
 */
export function percentDone(progress: LabelingProgressView): number {
  if (progress.total === 0) return 100;
  return Math.floor((progress.done * 1000) / progress.total) / 10;
}

/** `3/40 done (7.5%): 30 unlabeled, 2 leased, 1 skipped, 4 in review; 3 uncommitted` */
export function progressLine(progress: LabelingProgressView): string {
  const { total, done, unlabeled, leased, skipped, inReview, uncommitted } = progress;
  return `${done}/${total} done (${percentDone(progress)}%): ${unlabeled} unlabeled, ${leased} leased, ${skipped} skipped, ${inReview} in review; ${uncommitted} uncommitted`;
}

/** One line of `labeling list`. */
export function projectLine(lp: LabelingProjectView): string {
  return [lp.name, `${lp.dataset}@${lp.branch}`, `${lp.progress.done}/${lp.progress.total} done (${percentDone(lp.progress)}%)`, lp.myRole ?? 'reader'].join('  ');
}

/** `1 class`, `2 classes`. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The settings, members and progress of a project, for `show`, `create` and `update`. */
export function projectDetails(lp: LabelingProjectView): string {
  const { schema } = lp;
  const classes = schema.classes?.map((c) => c.name) ?? [];
  const instructions = lp.instructions.trim();
  const lines = [
    `labeling project ${lp.name} over ${lp.dataset}@${lp.branch}`,
    `  schema        ${schema.media ?? '?'}; tools ${(schema.tools ?? []).join(', ')}; ${plural(classes.length, 'class', 'classes')}: ${classes.join(', ')}`,
    `  overlap       ${lp.overlap === 1 ? 'none' : `${lp.overlap} labelers on ${Math.round(lp.overlapFraction * 1000) / 10}% of items`}`,
    `  queue order   ${lp.queueOrder}`,
    `  auto-commit   ${lp.autoCommitEvery === null ? 'off (commit with "sheaf labeling commit")' : `every ${lp.autoCommitEvery} label edits`}`,
    `  review below  ${lp.reviewThreshold} agreement`,
    `  instructions  ${instructions === '' ? 'none' : `${instructions.split('\n')[0]}${instructions.includes('\n') ? ` (+${plural(instructions.split('\n').length - 1, 'line', 'lines')})` : ''}`}`,
    `  members       ${lp.members.length === 0 ? 'none' : lp.members.map((m) => `${m.user} (${m.role})`).join(', ')}`,
    `  progress      ${progressLine(lp.progress)}`,
    `  your role     ${lp.myRole ?? 'reader'}`,
  ];
  return lines.join('\n');
}
