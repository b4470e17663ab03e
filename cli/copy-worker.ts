import { Worker } from 'node:worker_threads';
import { copyBatch, type BatchOutcome, type CopyTask } from './copy-batch.ts';

// The worker is the text of copyBatch itself, so both threads run the same code, from the
// bundle and from the TypeScript sources alike (a worker file would be a .ts one, which Node
// cannot load by itself). The TypeScript loader names nested functions through esbuild's
// __name helper, which the worker would lack.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const __name = (value) => value;
const copyBatch = (${copyBatch.toString()});
parentPort.once('message', ({ task, bufferBytes }) => {
  parentPort.postMessage(copyBatch(require('node:fs'), task, false, Buffer.allocUnsafe(bufferBytes)));
  parentPort.close();
});
`;

/**
 * A thread that copies files with copyBatch, from the back of a task while the caller copies
 * from the front. Starting a thread takes tens of milliseconds, so an export starts it while it
 * still waits for the server (`start`), and gives it the task once the files are known (`run`);
 * an unused one is ended with `close`. It never keeps the process alive while idle.
 */
export class CopyWorker {
  private readonly worker: Worker | null;
  private readonly outcome: Promise<BatchOutcome | null>;
  private used = false;

  private constructor() {
    let worker: Worker | null = null;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true });
    } catch {
      // No thread (a resource limit): the caller copies everything itself.
    }
    this.worker = worker;
    this.outcome = new Promise((resolve) => {
      if (worker === null) return resolve(null);
      worker.once('message', (outcome: BatchOutcome) => resolve(outcome));
      worker.once('error', () => resolve(null));
      worker.once('exit', () => resolve(null));
    });
    worker?.unref();
  }

  /** Starts the thread. */
  static start(): CopyWorker {
    return new CopyWorker();
  }

  /**
   * Has the thread copy from `task` (see copyBatch) with a buffer of `bufferBytes`, more than
   * `task.readWriteMaxBytes`. Resolves with what it copied, or null when it could not start or
   * died: files it claimed and did not copy are then not copied (the caller downloads them).
   * Once per worker.
   */
  run(task: CopyTask, bufferBytes: number): Promise<BatchOutcome | null> {
    if (this.used) throw new Error('a copy worker runs one task');
    this.used = true;
    if (this.worker === null) return this.outcome;
    this.worker.ref();
    this.worker.postMessage({ task, bufferBytes });
    return this.outcome;
  }

  /** Ends the thread if it was never given a task (one that was ends by itself). */
  close(): void {
    if (!this.used) void this.worker?.terminate();
  }
}
