import { CoreError, type EntityKind } from '../../core/errors.ts';

/**
 * The entity kind of labeling projects in NotFoundError and AlreadyExistsError. `EntityKind`
 * in core/errors.ts does not list it yet; the cast keeps the error classes (and so their
 * mapping to NOT_FOUND and ALREADY_EXISTS) shared rather than duplicated.
 */
export const LABELING_PROJECT: EntityKind = 'labeling project';

/**
 * A labeling action on a task that is not (or no longer) the caller's to do: its lease expired
 * and someone else holds the task, the caller never leased it, already submitted it, or the
 * task is not open any more (done, or in review). Nothing was changed; the client drops the
 * task and asks for the next one.
 */
export class TaskConflictError extends CoreError<{ path: string; reason: string }> {
  static readonly code = 'TASK_CONFLICT';
  readonly code = TaskConflictError.code;
  constructor(path: string, reason: string) {
    super(`task ${JSON.stringify(path.length > 80 ? path.slice(0, 80) + '…' : path)}: ${reason}`, { path, reason });
  }
}
