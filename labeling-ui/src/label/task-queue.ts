import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { messageOf } from '../api/api-error.ts';
import type { LabelingApi, LabelingTask } from '../api/labeling.ts';
import { prepareTask, type PreparedTask } from './prepared-task.ts';

export interface TaskQueueOptions {
  readonly api: Pick<LabelingApi, 'nextTasks' | 'releaseTask'>;
  readonly project: string;
  readonly labelingProject: string;
  readonly media: LabelSchema['media'];
  /** Tasks kept loaded behind the one shown. */
  readonly depth?: number;
  /** Paths the page still holds outside the queue (submissions not yet acknowledged): never leased again meanwhile. */
  readonly heldElsewhere?: () => Iterable<string>;
  /** Told whenever `current`, `waiting` or `error` change. */
  readonly onChange: () => void;
  /** How long to wait before asking an empty queue again, in milliseconds. */
  readonly pollMs?: number;
}

interface Slot {
  readonly task: LabelingTask;
  prepared: PreparedTask | null;
}

/**
 * The labeler's queue on the page: the task shown plus `depth` more leased and loaded ahead
 * (images decoded), so moving on shows the next item at once. Leases are asked for with
 * `exclude` = every path the page holds, so the server hands out new ones; tasks already leased
 * to the user (after a reload) come back first, as the server orders them.
 */
export class TaskQueue {
  readonly #options: TaskQueueOptions;
  readonly #depth: number;
  #current: PreparedTask | null = null;
  readonly #slots: Slot[] = [];
  #fetching = false;
  #closed = false;
  #drained = false;
  #error: string | null = null;
  #poll: ReturnType<typeof setTimeout> | null = null;

  constructor(options: TaskQueueOptions) {
    this.#options = options;
    this.#depth = options.depth ?? 3;
  }

  /** The task on screen; null while none is loaded or the queue is empty. */
  get current(): PreparedTask | null {
    return this.#current;
  }

  /** Tasks leased and loaded behind the current one. */
  get readyCount(): number {
    return this.#slots.filter((slot) => slot.prepared).length;
  }

  /** True when nothing is shown and nothing is coming: the server had no more tasks. */
  get empty(): boolean {
    return this.#current === null && this.#slots.length === 0 && this.#drained && !this.#fetching;
  }

  /** Why leasing failed the last time, until it succeeds again. */
  get error(): string | null {
    return this.#error;
  }

  /** Every path the queue holds: shown, loaded, loading. */
  get heldPaths(): string[] {
    return [...(this.#current ? [this.#current.task.path] : []), ...this.#slots.map((slot) => slot.task.path)];
  }

  /** Leases the first tasks (again, after `close`). */
  start(): void {
    this.#closed = false;
    this.#refill();
  }

  /**
   * Moves on: the current task leaves the queue (it was submitted or skipped) and the next
   * loaded one is shown at once, if there is one; leasing continues behind it.
   */
  advance(): PreparedTask | null {
    this.#current = this.#takePrepared();
    this.#options.onChange();
    this.#refill();
    return this.#current;
  }

  /** Asks the server again now (after an error, or to look for new work in an empty queue). */
  retry(): void {
    this.#drained = false;
    this.#error = null;
    this.#refill();
  }

  /** Stops leasing and hands back the tasks loaded ahead (best effort), so others get them. */
  close(): void {
    this.#closed = true;
    if (this.#poll) clearTimeout(this.#poll);
    const { api, project, labelingProject } = this.#options;
    for (const slot of this.#slots.splice(0)) void api.releaseTask(project, labelingProject, slot.task.path).catch(() => undefined);
  }

  #takePrepared(): PreparedTask | null {
    const index = this.#slots.findIndex((slot) => slot.prepared);
    if (index < 0) return null;
    return this.#slots.splice(index, 1)[0]!.prepared;
  }

  #refill(): void {
    if (this.#closed || this.#fetching || this.#drained) return;
    const wanted = this.#depth + (this.#current ? 0 : 1) - this.#slots.length;
    if (wanted <= 0) return;
    this.#fetching = true;
    const { api, project, labelingProject, media } = this.#options;
    const exclude = [...new Set([...this.heldPaths, ...(this.#options.heldElsewhere?.() ?? [])])];
    api.nextTasks(project, labelingProject, wanted, exclude).then(
      (tasks) => {
        this.#fetching = false;
        if (this.#closed) {
          for (const task of tasks) void api.releaseTask(project, labelingProject, task.path).catch(() => undefined);
          return;
        }
        this.#error = null;
        const fresh = tasks.filter((task) => !exclude.includes(task.path));
        if (fresh.length < wanted) this.#drain();
        for (const task of fresh) {
          const slot: Slot = { task, prepared: null };
          this.#slots.push(slot);
          void prepareTask(task, media).then((prepared) => {
            slot.prepared = prepared;
            if (this.#closed || !this.#slots.includes(slot)) return;
            if (this.#current === null) this.advance();
            else this.#options.onChange();
          });
        }
        this.#options.onChange();
        this.#refill();
      },
      (error: unknown) => {
        this.#fetching = false;
        if (this.#closed) return;
        this.#error = messageOf(error);
        this.#options.onChange();
      },
    );
  }

  /** The server had fewer tasks than asked: ask again later, not on every move. */
  #drain(): void {
    this.#drained = true;
    this.#poll = setTimeout(() => {
      this.#poll = null;
      this.#drained = false;
      this.#refill();
    }, this.#options.pollMs ?? 15_000);
  }
}
