import { StreamRunner, type StreamRunnerDeps } from './stream-runner.ts';
import { stateOfRecord, type StreamState } from './stream-state.ts';
import type { StreamRecord } from './stream-store.ts';

/**
 * The streams this server runs, one StreamRunner each: every active stream from start-up
 * (`startAll`), and those created or resumed since; stopped when paused or deleted, and all
 * of them on `close`.
 */
export class StreamRunners {
  private readonly runners = new Map<string, StreamRunner>();
  private closed = false;

  constructor(private readonly deps: StreamRunnerDeps) {}

  /** Starts every active stream. A stream that cannot start is left in its error state, not thrown. */
  async startAll(): Promise<void> {
    for (const record of await this.deps.store.listActive()) await this.start(record);
  }

  /** Starts the stream unless it runs already; resolves once it is connecting or has failed its checks. */
  async start(record: StreamRecord): Promise<void> {
    const existing = this.runners.get(record.id);
    if (this.closed || (existing && !existing.failed)) return;
    // One stopped by an error stays here to show it, until resumed.
    await existing?.stop({ commit: false });
    const runner = new StreamRunner(this.deps, record);
    this.runners.set(record.id, runner);
    try {
      await runner.start();
    } catch (error) {
      this.runners.delete(record.id);
      this.deps.log.error({ stream: record.name, project: record.project, err: error }, 'stream failed to start');
    }
  }

  /** Stops the stream if it runs here, committing what it has staged when `commit`. */
  async stop(id: string, options: { commit: boolean }): Promise<void> {
    const runner = this.runners.get(id);
    this.runners.delete(id);
    await runner?.stop(options);
  }

  /** The stream's live state when it runs here; otherwise what the database holds. */
  async stateOf(record: StreamRecord): Promise<StreamState> {
    const runner = this.runners.get(record.id);
    if (runner) return runner.state();
    return stateOfRecord(record, await this.deps.store.pending(record.id));
  }

  /** Stops every stream, committing what each has staged; starts none afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(running.map((runner) => runner.stop({ commit: true })));
  }
}
