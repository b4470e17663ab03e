import type { JsonValue } from '../../core/canonical-json.ts';
import { ForbiddenError } from '../../core/errors.ts';
import { errorCodeOf } from '../access/access-control.ts';
import type { AuditEvent, AuditRecorder } from './audit-event.ts';

/** An audit event before its outcome is known. */
export type PendingAuditEvent = Omit<AuditEvent, 'outcome' | 'errorCode' | 'result'>;

/**
 * Runs `work` and records the attempt: `ok` with `resultOf(value)` when it resolves, `failed`
 * with the error's code when it throws (the error is then rethrown). A ForbiddenError is not
 * recorded here: whoever refuses records the refusal as `denied` (AccessControl does), and
 * one attempt makes one entry.
 *
 * Call it outside database transactions: the entry is written once `work` has finished, so a
 * recorded `ok` means the change is committed, and on PGlite's single connection a write from
 * inside a transaction would wait for that transaction forever.
 */
export async function audited<T>(
  audit: AuditRecorder,
  event: PendingAuditEvent,
  work: () => Promise<T>,
  resultOf?: (value: T) => JsonValue,
): Promise<T> {
  let value: T;
  try {
    value = await work();
  } catch (error) {
    if (!(error instanceof ForbiddenError)) await audit.record({ ...event, outcome: 'failed', errorCode: errorCodeOf(error) });
    throw error;
  }
  await audit.record({ ...event, outcome: 'ok', ...(resultOf ? { result: resultOf(value) } : {}) });
  return value;
}

/** Audit entries keep what a client sent, cut short: a name may be a megabyte of junk. */
export function clip<T extends string | null>(value: T): T {
  if (typeof value !== 'string') return value;
  return (value.length > 128 ? `${value.slice(0, 128)}…` : value) as T;
}
