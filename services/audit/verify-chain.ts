import { GENESIS_HASH, type AuditHead, type AuditStore } from './audit-entry.ts';
import { auditEntryHash } from './audit-hash.ts';

/** The outcome of walking the chain. `ok` is false exactly when `problem` is set. */
export interface AuditVerification {
  readonly ok: boolean;
  /** Entries found sound, from entry 1 on. */
  readonly checked: number;
  /** The head as read when the walk began; entries appended later are not covered. */
  readonly headSeq: number;
  readonly headHash: string;
  /** The first entry that is missing, edited or out of chain; null when sound. */
  readonly firstBadSeq: number | null;
  readonly problem: string | null;
}

/** Entries read per query while walking the chain. */
export const VERIFY_PAGE = 5000;

/**
 * Walks the whole log oldest first from the head read at the start: every entry's hash must
 * match its content, its `prevHash` the entry before (the genesis hash for entry 1), seqs must
 * run 1, 2, 3 … without gaps, and the last entry must be the head. Stops at the first problem.
 * A consistent rewrite of the log's tail together with the head passes: only a copy of the
 * head hash kept elsewhere can catch that (docs/audit-log.md).
 */
export async function verifyChain(store: AuditStore, pageSize = VERIFY_PAGE): Promise<AuditVerification> {
  const head = await store.head();
  let checked = 0;
  const fail = (seq: number, problem: string) => report(head, checked, seq, problem);
  let previous: AuditHead = { seq: 0, hash: GENESIS_HASH };
  for (;;) {
    const page = await store.scan(previous.seq, pageSize, head.seq);
    for (const entry of page) {
      const seq = previous.seq + 1;
      if (entry.seq !== seq) return fail(seq, `entry ${seq} is missing`);
      if (auditEntryHash(entry) !== entry.hash) return fail(seq, `entry ${seq} was edited (its hash does not match its content)`);
      if (entry.prevHash !== previous.hash)
        return fail(seq, seq === 1 ? 'entry 1 does not start the chain (its prev_hash is not the genesis hash)' : `entry ${seq} does not follow entry ${seq - 1} (prev_hash mismatch)`);
      checked++;
      previous = entry;
    }
    if (page.length < pageSize) break;
  }
  if (previous.seq < head.seq) return fail(previous.seq + 1, `the head names entry ${head.seq} but the log ends at ${previous.seq}`);
  if (previous.hash !== head.hash)
    return fail(head.seq, head.seq === 0 ? 'the head of the empty log is not the genesis hash' : `the head's hash is not that of entry ${head.seq}`);
  // Entries past the head are either appended since the walk began (the head has moved on to
  // them by now: an append moves both in one transaction) or inserted around the chain.
  const [next] = await store.scan(head.seq, 1);
  if (next && next.seq > (await store.head()).seq) return fail(next.seq, `entry ${next.seq} lies past the head`);
  return report(head, checked, null, null);
}

function report(head: AuditHead, checked: number, firstBadSeq: number | null, problem: string | null): AuditVerification {
  return { ok: problem === null, checked, headSeq: head.seq, headHash: head.hash, firstBadSeq, problem };
}
