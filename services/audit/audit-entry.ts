import type { AuditOutcome } from './audit-event.ts';

/** The hash of the (absent) entry before the first one: the chain's genesis. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One stored entry of the audit log. `inputs` and `result` are canonical JSON text, exactly as
 * stored and hashed; `hash` covers every other field, `prevHash` included (see audit-hash.ts).
 */
export interface AuditEntry {
  /** 1, 2, 3 … with no gaps: entries are numbered under a lock on the chain's head. */
  readonly seq: number;
  readonly at: Date;
  readonly actorId: string | null;
  readonly actorName: string;
  /** "token:<id>", "session:<id>" or "system:<what>". */
  readonly credential: string;
  readonly action: string;
  readonly project: string | null;
  readonly target: string | null;
  readonly inputs: string;
  readonly outcome: AuditOutcome;
  readonly errorCode: string | null;
  readonly result: string | null;
  /** The previous entry's hash; `GENESIS_HASH` for entry 1. */
  readonly prevHash: string;
  readonly hash: string;
}

/** What the hash covers: everything but the hash itself. */
export type ChainedAuditEntry = Omit<AuditEntry, 'hash'>;

/** An entry before it is appended: the store numbers and chains it. */
export type AuditEntryDraft = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** The chain's tip: the last entry's seq and hash (0 and `GENESIS_HASH` while empty). */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** Which entries a listing returns; every given condition must hold. */
export interface AuditFilter {
  readonly project?: string | undefined;
  readonly actorName?: string | undefined;
  /** An exact action, or every action starting with it when it ends with '.' (`branch.`). */
  readonly action?: string | undefined;
  readonly outcome?: AuditOutcome | undefined;
  /** Entries at or after this instant. */
  readonly since?: Date | undefined;
  /** Entries strictly before this instant. */
  readonly until?: Date | undefined;
}

/** Where the audit log is kept. */
export interface AuditStore {
  /**
   * Numbers the draft (head seq + 1), chains it to the head's hash, stores it and moves the
   * head, atomically: concurrent appends are serialized, and a failed one leaves no gap.
   */
  append(draft: AuditEntryDraft): Promise<AuditEntry>;
  /** Matching entries newest first, those with seq below `beforeSeq` when given; at most `limit`. */
  list(filter: AuditFilter, page: { readonly beforeSeq?: number | undefined; readonly limit: number }): Promise<AuditEntry[]>;
  /** Entries with seq above `afterSeq` (and at most `untilSeq` when given), oldest first; at most `limit`. */
  scan(afterSeq: number, limit: number, untilSeq?: number): Promise<AuditEntry[]>;
  head(): Promise<AuditHead>;
}
