import type { StreamConfig } from './stream-config.ts';

/** What a stream is set to do: run, stay paused, or stay stopped after an error until resumed. */
export type StreamStatus = 'active' | 'paused' | 'error';

/** Running totals of a stream, kept in the database across restarts. */
export interface StreamCounters {
  /** Messages taken (acknowledged), duplicates included. */
  readonly messages: number;
  /** Items staged. */
  readonly staged: number;
  /** Items the keep rule dropped. */
  readonly dropped: number;
  /** Messages delivered again and recognized. */
  readonly duplicates: number;
  readonly deadLetters: number;
}

export interface StreamRecord {
  readonly id: string;
  readonly project: string;
  readonly name: string;
  readonly config: StreamConfig;
  readonly status: StreamStatus;
  /** Why the stream stopped, with status `error`. */
  readonly error: string | null;
  readonly clientId: string;
  /** The user the stream acts as; null once that user is deleted. */
  readonly owner: { readonly id: string; readonly name: string } | null;
  readonly createdAt: Date;
  readonly counters: StreamCounters;
  readonly lastCommit: string | null;
  readonly lastCommitAt: Date | null;
}

/** How far a message got: its row is written `pending` before its item is staged. */
export type MessageState = 'pending' | 'staged' | 'dropped' | 'dead';

/** A message the stream has taken before, found by its key. */
export interface SeenMessage {
  readonly state: MessageState;
  readonly path: string | null;
}

/** A message taken for the first time. */
export interface TakenMessage {
  readonly key: string;
  readonly state: Exclude<MessageState, 'staged'>;
  readonly path: string | null;
  readonly receivedAt: Date;
}

/** A message that could not become an item, as kept for its stream. */
export interface DeadLetter {
  readonly seq: number;
  readonly receivedAt: Date;
  readonly topic: string;
  readonly reason: string;
  readonly payloadSha256: string;
  readonly payloadSize: number;
  /** The payload's first bytes in hex. */
  readonly headHex: string;
}

export type CounterChange = Partial<Record<keyof StreamCounters, number>>;

/** Streams, their seen messages and dead letters; kysely-stream-store.ts has them in SQL. */
export interface StreamStore {
  /** @throws AlreadyExistsError('stream'), NotFoundError('project') */
  create(input: { id: string; project: string; name: string; config: StreamConfig; clientId: string; ownerId: string }): Promise<StreamRecord>;
  get(project: string, name: string): Promise<StreamRecord | null>;
  getById(id: string): Promise<StreamRecord | null>;
  /** The project's streams in name order, after `page.after` (a name). */
  list(project: string, page: { after?: string | undefined; limit: number }): Promise<StreamRecord[]>;
  /** Every stream with status `active`, of every project (what a starting server runs). */
  listActive(): Promise<StreamRecord[]>;
  setStatus(id: string, status: StreamStatus, error: string | null): Promise<void>;
  /** Deletes the stream with its seen messages and dead letters; false when there was none. */
  delete(id: string): Promise<boolean>;

  /** Which of `keys` the stream has taken before. */
  seen(streamId: string, keys: readonly string[]): Promise<Map<string, SeenMessage>>;
  /** Reserves `count` consecutive sequence numbers; returns the first. */
  allocateSeq(streamId: string, count: number): Promise<number>;
  /**
   * In one transaction: rows for messages taken for the first time (a key already there is
   * left as it is), dead letters, and the counters.
   */
  recordTaken(streamId: string, taken: readonly TakenMessage[], deadLetters: readonly Omit<DeadLetter, 'seq'>[], counters: CounterChange): Promise<void>;
  /** Marks the messages' items staged at `at`, and adds to the counters, in one transaction. */
  markStaged(streamId: string, keys: readonly string[], at: Date, counters: CounterChange): Promise<void>;
  addCounters(streamId: string, counters: CounterChange): Promise<void>;
  /** After a commit: every staged item is committed; records the commit (null: nothing changed). */
  markCommitted(streamId: string, commit: string | null, at: Date): Promise<void>;
  /** Items staged and not committed yet: how many, and when the oldest was staged. */
  pending(streamId: string): Promise<{ count: number; oldest: Date | null }>;
  /** Forgets finished messages received before `before`: a copy arriving later is taken as new. */
  forget(streamId: string, before: Date): Promise<number>;
  /** Dead letters in arrival order, after `page.after` (a seq). */
  deadLetters(streamId: string, page: { after?: number | undefined; limit: number }): Promise<DeadLetter[]>;
}
