import cliProgress from 'cli-progress';
import { formatBytes } from './format-bytes.ts';

/** What a progress bar counts; bytes are shown as KiB/MiB/GiB. */
export type ProgressUnit = 'bytes' | 'files' | 'items';

/** A progress indicator; every method is safe to call after `stop`. */
export interface Progress {
  /** Adds `amount` to the value. */
  add(amount: number): void;
  stop(): void;
}

const SILENT: Progress = { add() {}, stop() {} };

/**
 * A progress bar on `stream` when it is a terminal and `enabled` (off with --json, so a
 * script reading stderr sees only real messages); otherwise a no-op.
 */
export function createProgress(
  stream: NodeJS.WritableStream & { readonly isTTY?: boolean },
  enabled: boolean,
  label: string,
  total: number,
  unit: ProgressUnit,
): Progress {
  if (!enabled || stream.isTTY !== true || total <= 0) return SILENT;
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${label.padEnd(11)} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
    formatValue: (value, _options, type) => (unit === 'bytes' && (type === 'value' || type === 'total') ? formatBytes(value) : String(value)),
    hideCursor: true,
    clearOnComplete: false,
    barsize: 30,
  });
  bar.start(total, 0);
  let stopped = false;
  return {
    add(amount) {
      if (!stopped) bar.increment(amount);
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
