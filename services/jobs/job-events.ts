import { EventEmitter } from 'node:events';

/**
 * Wake-ups inside one process: a job's record changed, or its cancellation was asked for.
 * Only a hint that the database has news; jobs running in other processes are seen by
 * polling their records (see JobService.watch and JobRunner).
 */
export class JobEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per watcher of a job (GraphQL subscriptions, CLI watchers): no fixed bound.
    this.emitter.setMaxListeners(0);
  }

  changed(id: string): void {
    this.emitter.emit(`changed:${id}`);
  }

  /** Calls `listener` whenever job `id` changes here; returns the unsubscribe function. */
  onChanged(id: string, listener: () => void): () => void {
    this.emitter.on(`changed:${id}`, listener);
    return () => void this.emitter.off(`changed:${id}`, listener);
  }

  cancelRequested(id: string): void {
    this.emitter.emit('cancel', id);
  }

  /** Calls `listener` with the id of each job whose cancellation is asked for here. */
  onCancelRequested(listener: (id: string) => void): () => void {
    this.emitter.on('cancel', listener);
    return () => void this.emitter.off('cancel', listener);
  }
}
