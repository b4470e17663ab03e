import { CoreError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../core/errors.ts';
import type { Clock } from '../../core/ports.ts';
import type { AccessControl } from '../access/access-control.ts';
import type { Actor } from '../actor.ts';
import type { BlobService } from '../blob-service.ts';
import type { DatasetService } from '../dataset-service.ts';
import { planBatch, type BatchRules } from './batch-plan.ts';
import { BranchWriter } from './branch-writer.ts';
import { CommitWindow } from './commit-window.ts';
import type { IngestLog } from './ingest-log.ts';
import { parseKeepRule } from './keep-rule.ts';
import { messageKey } from './message-key.ts';
import type { MessageSource, MessageSources, SourceConnection, SourceMessage } from './message-source.ts';
import { parsePathTemplate } from './path-template.ts';
import { RateMeter } from './rate-meter.ts';
import { STREAM_PLACEHOLDERS } from './stream-config.ts';
import type { StreamState } from './stream-state.ts';
import type { StreamCounters, StreamRecord, StreamStore } from './stream-store.ts';

export interface StreamRunnerDeps {
  readonly store: StreamStore;
  readonly blobs: BlobService;
  readonly datasets: DatasetService;
  readonly access: AccessControl;
  readonly sources: MessageSources;
  readonly log: IngestLog;
  readonly clock?: Clock | undefined;
  /** How often a stream re-checks that its owner may still write, when no message makes it. Default 30 s. */
  readonly ownerCheckMs?: number | undefined;
  /** How long after its receipt a message is still recognized when delivered again. Default 1 hour. */
  readonly dedupeWindowMs?: number | undefined;
}

/** Messages taken into one batch at most; the broker sends at most its receive maximum anyway. */
const MAX_BATCH_MESSAGES = 1000;
const MAX_BATCH_BYTES = 32 * 1024 * 1024;
/** Past this many bytes waiting, the source is held back until half of them are processed. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const RETRY_MS = [500, 1000, 2000, 5000, 10_000, 30_000];
/**
 * How long a batch waits for more messages while they keep arriving: the broker sends a burst
 * one packet after the other, and one batch of hundreds costs little more than a batch of one.
 */
const LINGER_MS = 20;
const LINGER_QUIET_MS = 2;
/** Seen messages are forgotten at most this often. */
const FORGET_EVERY_MS = 60_000;

/**
 * Runs one stream: takes messages from its source in batches, turns each into an item (or a
 * dead letter, or drops it by the keep rule), stores and stages the batch through the services
 * as the stream's owner, and only then acknowledges the batch's messages to the broker.
 * Commits when the commit window is due. What happens to a message, in order:
 *
 * 1. Its key (messageKey) is looked up: a message taken before is a duplicate, acknowledged
 *    and counted; one whose row is `pending` (taken, then the process died before staging) is
 *    staged again at the path recorded for it.
 * 2. A new message gets its path (the template, or its envelope's), and a row: `pending`,
 *    `dropped` or `dead` (with its dead letter), written before anything is staged. So a copy
 *    delivered after a crash finds the same path, and never becomes a second item.
 * 3. Blobs and staging are written; rows become `staged`; the messages are acknowledged.
 *
 * A failure the stream cannot get past by waiting (its owner lost `data.write`, the dataset or
 * branch is gone) stops it with status `error`; anything else is retried with backoff, the
 * batch unacknowledged meanwhile. Malformed messages never stop a stream.
 */
export class StreamRunner {
  private readonly clock: Clock;
  private readonly writer: BranchWriter;
  private readonly rules: Omit<BatchRules, 'limits'>;
  private readonly window: CommitWindow;
  private readonly rate = new RateMeter();
  private readonly counters: { -readonly [K in keyof StreamCounters]: number };
  private source: MessageSource | null = null;
  private connection: SourceConnection | null = null;
  private queue: SourceMessage[] = [];
  private queuedBytes = 0;
  private spaceWaiters: (() => void)[] = [];
  private wakeUp: (() => void) | null = null;
  private stopping = false;
  private failure: string | null = null;
  private lastProblem: string | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private lastCommit: string | null;
  private lastCommitAt: Date | null;
  private ownerCheckedAt = 0;
  private forgottenAt = 0;

  constructor(
    private readonly deps: StreamRunnerDeps,
    readonly record: StreamRecord,
  ) {
    this.clock = deps.clock ?? { now: () => new Date() };
    const { config } = record;
    this.writer = new BranchWriter(deps, { project: record.project, dataset: config.dataset, branch: config.branch });
    this.rules = {
      payload: config.payload,
      template: parsePathTemplate(config.path, STREAM_PLACEHOLDERS),
      keep: config.keep === null ? null : parseKeepRule(config.keep),
      clientId: record.clientId,
    };
    this.window = new CommitWindow({ every: config.every, seconds: config.seconds });
    this.counters = { ...record.counters };
    this.lastCommit = record.lastCommit;
    this.lastCommitAt = record.lastCommitAt;
  }

  /**
   * Checks that the owner may still write to the target branch, then connects and runs until
   * stopped. A refusal stops the stream with status `error` (and is in the audit log).
   */
  async start(): Promise<void> {
    try {
      await this.requireOwner('stream.start');
      const pending = await this.deps.store.pending(this.record.id);
      if (pending.oldest) this.window.add(pending.count, pending.oldest);
    } catch (error) {
      if (!isFatal(error)) throw error;
      await this.fail(reasonOf(error));
      return;
    }
    this.ownerCheckedAt = Date.now();
    const { config } = this.record;
    this.source = this.deps.sources.open({ broker: config.broker, topic: config.topic, clientId: this.record.clientId });
    this.source.start({
      message: (message) => this.enqueue(message),
      connection: (change) => {
        this.connection = change;
        if (change.state === 'disconnected' && !this.stopping)
          this.deps.log.warn({ stream: this.record.name, project: this.record.project, reason: change.reason }, 'stream disconnected from its broker');
      },
    });
    // A stream stopped by its own error disconnects by itself; stop() does it otherwise.
    this.loopDone = this.loop().then(() => (this.failure === null ? undefined : this.closeSource()));
  }

  /**
   * Finishes the batch under way (acknowledging it), commits what is pending when `commit`
   * (pausing, shutting down), and disconnects, leaving unprocessed messages to the broker.
   */
  async stop(options: { commit: boolean }): Promise<void> {
    this.stopping = true;
    this.wake();
    for (const release of this.spaceWaiters.splice(0)) release();
    await this.loopDone;
    if (options.commit && this.failure === null && this.window.pending > 0)
      await this.commit().catch((error: unknown) => this.deps.log.warn({ stream: this.record.name, err: error }, 'stream: commit on stop failed; the items stay staged'));
    await this.closeSource();
  }

  private async closeSource(): Promise<void> {
    const source = this.source;
    this.source = null;
    await source?.stop();
  }

  /** Whether the stream stopped on an error of its own (it then needs resuming). */
  get failed(): boolean {
    return this.failure !== null;
  }

  state(): StreamState {
    const status = this.failure !== null ? 'error' : this.stopping ? 'stopped' : this.connection === null ? 'connecting' : this.connection.state;
    const connectionProblem = this.connection?.state === 'disconnected' ? this.connection.reason : null;
    return {
      status,
      error: this.failure ?? connectionProblem ?? this.lastProblem,
      counters: { ...this.counters },
      itemsPerSecond: this.rate.perSecond(),
      pendingItems: this.window.pending,
      oldestPendingAt: this.window.oldestPending,
      lastCommit: this.lastCommit,
      lastCommitAt: this.lastCommitAt,
    };
  }

  private enqueue(message: SourceMessage): Promise<void> | void {
    if (this.stopping) return;
    this.queue.push(message);
    this.queuedBytes += message.payload.byteLength;
    this.wake();
    if (this.queuedBytes <= MAX_QUEUED_BYTES) return;
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  private async loop(): Promise<void> {
    const ownerCheckMs = this.deps.ownerCheckMs ?? 30_000;
    while (!this.stopping) {
      if (this.queue.length > 0) {
        await this.gather();
        await this.retrying(() => this.process(this.takeBatch()));
      } else if (this.window.due(this.clock.now())) {
        await this.retrying(() => this.commit());
      } else if (Date.now() - this.ownerCheckedAt >= ownerCheckMs) {
        await this.retrying(() => this.requireOwner('stream.run'));
        this.ownerCheckedAt = Date.now();
      } else {
        const untilCommit = this.window.msUntilDue(this.clock.now()) ?? Infinity;
        await this.sleep(Math.min(untilCommit, ownerCheckMs - (Date.now() - this.ownerCheckedAt)));
      }
      if (!this.stopping && this.window.due(this.clock.now())) await this.retrying(() => this.commit());
    }
  }

  /** Runs `work` until it succeeds, the stream stops, or it fails in a way waiting cannot fix. */
  private async retrying(work: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await work();
        this.lastProblem = null;
        return;
      } catch (error) {
        if (isFatal(error)) {
          await this.fail(reasonOf(error));
          return;
        }
        this.lastProblem = error instanceof CoreError ? error.message : 'internal error (see the server log)';
        this.deps.log.warn({ stream: this.record.name, project: this.record.project, err: error }, 'stream: retrying after a failure');
        await this.sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!);
      }
    }
  }

  /** Waits (at most LINGER_MS) while messages keep arriving, so that a burst makes one batch. */
  private async gather(): Promise<void> {
    const until = Date.now() + LINGER_MS;
    let count = this.queue.length;
    while (!this.stopping && count < MAX_BATCH_MESSAGES && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, LINGER_QUIET_MS));
      if (this.queue.length === count) return;
      count = this.queue.length;
    }
  }

  private takeBatch(): SourceMessage[] {
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < MAX_BATCH_MESSAGES && (count === 0 || bytes + this.queue[count]!.payload.byteLength <= MAX_BATCH_BYTES))
      bytes += this.queue[count++]!.payload.byteLength;
    const batch = this.queue.slice(0, count);
    return batch;
  }

  /** Processes the batch at the head of the queue, then removes it from the queue and acknowledges it. */
  private async process(batch: SourceMessage[]): Promise<void> {
    const { store } = this.deps;
    const id = this.record.id;
    const actor = this.actor();
    const keys = batch.map(messageKey);
    const seen = await store.seen(id, keys);
    const rules = { ...this.rules, limits: { maxMessageBytes: this.record.config.maxMessageBytes, maxBlobBytes: this.deps.blobs.maxBlobBytes } };
    const { taken, deadLetters, items, duplicates, dropped } = await planBatch(batch, keys, seen, rules, (count) => store.allocateSeq(id, count));

    await store.recordTaken(id, taken, deadLetters, { deadLetters: deadLetters.length, dropped });
    await this.writer.write(actor, items);
    const now = this.clock.now();
    await store.markStaged(id, items.map((i) => i.key), now, { staged: items.length, messages: batch.length, duplicates });

    this.queue.splice(0, batch.length);
    this.queuedBytes -= batch.reduce((sum, m) => sum + m.payload.byteLength, 0);
    if (this.queuedBytes <= MAX_QUEUED_BYTES / 2) for (const release of this.spaceWaiters.splice(0)) release();
    for (const message of batch) message.ack();

    this.counters.messages += batch.length;
    this.counters.staged += items.length;
    this.counters.duplicates += duplicates;
    this.counters.dropped += dropped;
    this.counters.deadLetters += deadLetters.length;
    this.window.add(items.length, now);
    this.rate.add(items.length);
    await this.forgetOld(batch);
  }

  private async commit(): Promise<void> {
    const items = this.window.pending;
    const { config } = this.record;
    const message = `Stream ${this.record.name}: ${items} item(s) from ${config.topic}`;
    const result = await this.writer.commit(this.actor(), message, { stream: this.record.name, topic: config.topic, items });
    const at = this.clock.now();
    const created = result?.created === true ? result.commit.id : null;
    await this.deps.store.markCommitted(this.record.id, created, at);
    if (created !== null) {
      this.lastCommit = created;
      this.lastCommitAt = at;
    }
    this.window.reset();
  }

  /** Lets the store forget messages older than the dedupe window, counted in the stream's own time. */
  private async forgetOld(batch: readonly SourceMessage[]): Promise<void> {
    if (Date.now() - this.forgottenAt < FORGET_EVERY_MS) return;
    this.forgottenAt = Date.now();
    const newest = Math.max(...batch.map((m) => m.receivedAt.getTime()));
    await this.deps.store.forget(this.record.id, new Date(newest - (this.deps.dedupeWindowMs ?? 3_600_000)));
  }

  /** @throws ForbiddenError (audited) when the owner may no longer write to the branch; NotFoundError without an owner */
  private async requireOwner(action: string): Promise<void> {
    const { config } = this.record;
    await this.deps.access.require(this.actor(), { project: this.record.project, permission: 'data.write', dataset: config.dataset, branch: config.branch, action });
  }

  /**
   * The stream acting as its owner. A new object each time: AccessControl remembers an
   * actor's memberships for the actor's life, and the owner's role may change while the
   * stream runs.
   */
  private actor(): Actor {
    const owner = this.record.owner;
    if (owner === null) throw new NotFoundError('user', `the owner of stream ${this.record.name}`);
    return {
      userId: owner.id,
      name: owner.name,
      isAdmin: false,
      credential: { kind: 'system', id: `stream:${this.record.project}/${this.record.name}` },
      scopes: new Set(['read', 'write']),
    };
  }

  private async fail(reason: string): Promise<void> {
    this.failure = reason;
    this.stopping = true;
    this.deps.log.warn({ stream: this.record.name, project: this.record.project, reason }, 'stream stopped with an error');
    await this.deps.store.setStatus(this.record.id, 'error', reason);
  }

  private wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

/** Failures waiting does not fix: the stream stops until someone resumes it. */
function isFatal(error: unknown): boolean {
  return error instanceof ForbiddenError || error instanceof UnauthenticatedError || error instanceof NotFoundError || error instanceof InvalidInputError;
}

function reasonOf(error: unknown): string {
  if (error instanceof ForbiddenError) return `the stream's owner may no longer write here: ${error.message}`;
  if (error instanceof NotFoundError && error.data.kind === 'user') return 'the stream has no owner: the user who created it was deleted';
  return error instanceof Error ? error.message : String(error);
}
