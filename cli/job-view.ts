import { CliError } from './cli-error.ts';

/** The fields of a job the CLI asks for. */
export const JOB_FIELDS =
  'id project kind state input result attempts maxAttempts timeoutSeconds cancelRequested createdBy createdAt startedAt finishedAt updatedAt ' +
  'progress { done total rate etaSeconds updatedAt } failure { code message detail }';

/** A job as the API returns it. */
export interface JobView {
  readonly id: string;
  readonly project: string;
  readonly kind: string;
  readonly state: 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
  readonly input: unknown;
  readonly result: unknown;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly timeoutSeconds: number;
  readonly cancelRequested: boolean;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly updatedAt: string;
  readonly progress: { readonly done: number; readonly total: number | null; readonly rate: number | null; readonly etaSeconds: number | null };
  readonly failure: { readonly code: string; readonly message: string; readonly detail: unknown } | null;
}

/** Whether the job will change no more. */
export function isOver(job: JobView): boolean {
  return job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';
}

/** "37/120 (12.5/s, 7 s left)", or "" before any progress. */
export function progressText(job: JobView): string {
  const { done, total, rate, etaSeconds } = job.progress;
  if (done === 0 && total === null) return '';
  let text = total === null ? `${done}` : `${done}/${total}`;
  const extra: string[] = [];
  if (rate !== null && job.state === 'running') extra.push(`${round(rate)}/s`);
  if (etaSeconds !== null && job.state === 'running') extra.push(`${Math.ceil(etaSeconds)} s left`);
  if (extra.length) text += ` (${extra.join(', ')})`;
  return text;
}

/** One line per job for lists: id, kind, state, progress, when. */
export function jobLine(job: JobView): string {
  const state = job.cancelRequested && job.state === 'running' ? 'cancelling' : job.state;
  return [job.id, job.kind, state, progressText(job) || '-', job.createdAt].join('  ');
}

/** Everything about one job, a field per line. */
export function jobDetails(job: JobView): string {
  const lines = [
    `job ${job.id}`,
    `kind       ${job.kind}`,
    `state      ${job.state}${job.cancelRequested && job.state === 'running' ? ' (cancel requested)' : ''}`,
    `attempts   ${job.attempts} of ${job.maxAttempts} (each at most ${job.timeoutSeconds} s)`,
    `by         ${job.createdBy} at ${job.createdAt}`,
  ];
  if (job.startedAt) lines.push(`started    ${job.startedAt}`);
  if (job.finishedAt) lines.push(`finished   ${job.finishedAt}`);
  const progress = progressText(job);
  if (progress) lines.push(`progress   ${progress}`);
  lines.push(`input      ${JSON.stringify(job.input)}`);
  if (job.result !== null) lines.push(`result     ${JSON.stringify(job.result)}`);
  if (job.failure) {
    lines.push(`${job.state === 'failed' ? 'failure' : 'last error'} ${job.failure.code}: ${job.failure.message}`);
    if (job.failure.detail !== null) lines.push(`detail     ${JSON.stringify(job.failure.detail)}`);
  }
  return lines.join('\n');
}

/**
 * The failure a watched job that did not succeed ends the command with (exit 1): its own
 * failure code, or JOB_CANCELLED. The job rides along in the error's data (`--json`).
 */
export function endedWithout(job: JobView): CliError {
  if (job.state === 'cancelled') return new CliError('JOB_CANCELLED', `job ${job.id} was cancelled`, { data: { job } });
  const failure = job.failure ?? { code: 'JOB_FAILED', message: 'failed' };
  const details = job.failure?.detail != null ? [JSON.stringify(job.failure.detail)] : [];
  return new CliError(failure.code, `job ${job.id} failed: ${failure.message}`, { data: { job }, details });
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
