import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandContext } from './command.ts';
import type { LabelingStatus } from './labeling-dashboard-view.ts';
import { progressLine } from './labeling-view.ts';
import type { Progress } from './progress.ts';

/** How `watchLabeling` refreshes and when it stops early. */
export interface WatchOptions {
  readonly intervalMs: number;
  /** Aborting ends the watch after the refresh under way (Ctrl-C); the last status is returned. */
  readonly signal: AbortSignal;
  /** Called with every status fetched, the last one included. */
  onUpdate(status: LabelingStatus): void;
}

/**
 * Fetches a labeling project's status every `intervalMs` until every task is done or the
 * signal aborts, and returns the last status. Errors of a fetch end the watch (thrown).
 */
export async function watchLabeling(fetchStatus: () => Promise<LabelingStatus>, options: WatchOptions): Promise<LabelingStatus> {
  for (;;) {
    const status = await fetchStatus();
    options.onUpdate(status);
    if (status.progress.done >= status.progress.total || options.signal.aborted) return status;
    try {
      await sleep(options.intervalMs, undefined, { signal: options.signal });
    } catch (error) {
      if (!options.signal.aborted) throw error;
    }
  }
}

/**
 * Shows a watched project on stderr: a progress bar of done tasks on a terminal (restarted when
 * the branch's item count changes the total); elsewhere, unless --json, a progress line
 * whenever the counts change, so a pipeline's log shows the work moving.
 */
export function statusDisplay(context: CommandContext): { update(status: LabelingStatus): void; stop(): void } {
  const terminal = context.io.stderr.isTTY === true;
  let bar: Progress | undefined;
  let total = -1;
  let shown = 0;
  let lastLine = '';
  return {
    update(status) {
      const { progress } = status;
      if (!terminal) {
        const line = `${status.name}: ${progressLine(progress)}`;
        if (!context.global.json && line !== lastLine) context.io.stderr.write(`${line}\n`);
        lastLine = line;
        return;
      }
      // The bar only counts up; a new total (or a reopened task) starts a new one.
      if (progress.total !== total || progress.done < shown) {
        bar?.stop();
        bar = context.progress('labeled', progress.total, 'items');
        total = progress.total;
        shown = 0;
      }
      bar!.add(progress.done - shown);
      shown = progress.done;
    },
    stop() {
      bar?.stop();
    },
  };
}
