import type { Annotation } from '../../../core/labels/annotation.ts';
import { messageOf } from '../api/api-error.ts';
import type { LabelCommit, LabelingApi, SubmitResult } from '../api/labeling.ts';

/** One submission or skip on its way to the server. */
export interface Outgoing {
  /** The client-chosen submission id: the server applies it once, however often it is sent. */
  readonly id: string;
  readonly kind: 'submit' | 'skip';
  readonly path: string;
  readonly annotations: readonly Annotation[] | null;
  readonly reason: string | null;
  state: 'pending' | 'failed' | 'done';
  /** Why the server refused it (failed), or the last transient failure while retrying (pending). */
  error: string | null;
  result: SubmitResult | null;
}

/**
 * Sends submissions and skips in the background, in order of arrival but without waiting for
 * one another, each retried with backoff until the server acknowledges it. A refusal (invalid
 * labels, a lost lease) leaves it `failed`, kept with its labels until sent again (`retry`) or
 * dropped (`discard`): no labels are lost silently.
 */
export class SubmitQueue {
  readonly #api: Pick<LabelingApi, 'submitLabels' | 'skipTask'>;
  readonly #project: string;
  readonly #labelingProject: string;
  readonly #onChange: () => void;
  readonly #entries: Outgoing[] = [];
  readonly #inFlight = new Map<string, Promise<void>>();
  /** The latest commit an auto-commit made on the server, if any. */
  lastCommit: LabelCommit | null = null;

  constructor(options: { api: Pick<LabelingApi, 'submitLabels' | 'skipTask'>; project: string; labelingProject: string; onChange: () => void }) {
    this.#api = options.api;
    this.#project = options.project;
    this.#labelingProject = options.labelingProject;
    this.#onChange = options.onChange;
  }

  /** Submissions not yet acknowledged or refused. */
  get pending(): readonly Outgoing[] {
    return this.#entries.filter((entry) => entry.state === 'pending');
  }

  get failed(): readonly Outgoing[] {
    return this.#entries.filter((entry) => entry.state === 'failed');
  }

  /** Paths whose submission the server has not acknowledged yet: still the page's. */
  get heldPaths(): string[] {
    return this.#entries.filter((entry) => entry.state !== 'done').map((entry) => entry.path);
  }

  submit(path: string, annotations: readonly Annotation[]): Outgoing {
    return this.#enqueue({ id: crypto.randomUUID(), kind: 'submit', path, annotations, reason: null, state: 'pending', error: null, result: null });
  }

  skip(path: string, reason: string): Outgoing {
    return this.#enqueue({ id: crypto.randomUUID(), kind: 'skip', path, annotations: null, reason, state: 'pending', error: null, result: null });
  }

  /** Sends a failed submission again, with the same id. */
  retry(id: string): void {
    const entry = this.#entries.find((e) => e.id === id && e.state === 'failed');
    if (!entry) return;
    entry.state = 'pending';
    entry.error = null;
    this.#send(entry);
  }

  /** Gives up on a failed submission: its labels are dropped from the page. */
  discard(id: string): void {
    const index = this.#entries.findIndex((e) => e.id === id && e.state === 'failed');
    if (index >= 0) this.#entries.splice(index, 1);
    this.#onChange();
  }

  /** Resolves once nothing is pending (everything acknowledged or refused). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight.values());
  }

  #enqueue(entry: Outgoing): Outgoing {
    this.#entries.push(entry);
    this.#send(entry);
    return entry;
  }

  #send(entry: Outgoing): void {
    this.#onChange();
    const onRetry = (error: Error): void => {
      entry.error = `retrying: ${error.message}`;
      this.#onChange();
    };
    const call =
      entry.kind === 'submit'
        ? this.#api
            .submitLabels(
              { project: this.#project, labelingProject: this.#labelingProject, path: entry.path, annotations: entry.annotations ?? [], submissionId: entry.id },
              { onRetry },
            )
            .then((result) => {
              entry.result = result;
              if (result.committed) this.lastCommit = result.committed;
            })
        : this.#api.skipTask(this.#project, this.#labelingProject, entry.path, entry.reason ?? '', { onRetry }).then(() => undefined);
    const done = call.then(
      () => {
        entry.state = 'done';
        entry.error = null;
      },
      (error: unknown) => {
        entry.state = 'failed';
        entry.error = messageOf(error);
      },
    );
    const tracked = done.finally(() => {
      this.#inFlight.delete(entry.id);
      // Acknowledged entries are forgotten; only their effect on progress remains.
      if (entry.state === 'done') this.#entries.splice(this.#entries.indexOf(entry), 1);
      this.#onChange();
    });
    this.#inFlight.set(entry.id, tracked);
  }
}
