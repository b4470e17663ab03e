import type { StreamCounters, StreamRecord } from './stream-store.ts';

/**
 * Where a stream is: `connecting` (started, no connection yet), `connected`, `disconnected`
 * (reconnecting; `error` says why), `paused`, `error` (stopped until resumed; `error` says
 * why), or `stopped` (active but not running in this server, e.g. while it shuts down).
 */
export type StreamStatusView = 'connecting' | 'connected' | 'disconnected' | 'paused' | 'error' | 'stopped';

/** A stream's state as the API shows it. */
export interface StreamState {
  readonly status: StreamStatusView;
  /** Why it stopped (`error`), or the last problem it is retrying past (a lost connection, a failed write). */
  readonly error: string | null;
  readonly counters: StreamCounters;
  /** Items staged per second, recently. */
  readonly itemsPerSecond: number;
  /** Items staged and not yet committed. */
  readonly pendingItems: number;
  /** When the oldest of them was staged. */
  readonly oldestPendingAt: Date | null;
  readonly lastCommit: string | null;
  readonly lastCommitAt: Date | null;
}

/** The state of a stream no runner of this server has: what the database says. */
export function stateOfRecord(record: StreamRecord, pending: { count: number; oldest: Date | null }): StreamState {
  const status: StreamStatusView = record.status === 'active' ? 'stopped' : record.status;
  return {
    status,
    error: record.error,
    counters: record.counters,
    itemsPerSecond: 0,
    pendingItems: pending.count,
    oldestPendingAt: pending.oldest,
    lastCommit: record.lastCommit,
    lastCommitAt: record.lastCommitAt,
  };
}
