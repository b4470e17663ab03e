import { canonicalJson } from '../../core/canonical-json.ts';
import { sha256Hex } from '../../core/hash.ts';
import type { ChainedAuditEntry } from './audit-entry.ts';

const PREFIX = 'sheaf.audit.v1\n';

/**
 * An audit entry's hash: sha256 (lowercase hex) of `sheaf.audit.v1\n` followed by the RFC 8785
 * canonical JSON of the object `{ seq, at, actorId, actorName, credential, action, project,
 * target, inputs, outcome, errorCode, result, prevHash }`, where `at` is the ISO 8601 UTC
 * string with milliseconds, absent values are `null`, and `inputs` and `result` are the stored
 * canonical JSON text as strings (so the hash covers the exact stored bytes, and a `null`
 * result stays distinct from the JSON text `"null"`). See docs/audit-log.md.
 */
export function auditEntryHash(entry: ChainedAuditEntry): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorName: entry.actorName,
    credential: entry.credential,
    action: entry.action,
    project: entry.project,
    target: entry.target,
    inputs: entry.inputs,
    outcome: entry.outcome,
    errorCode: entry.errorCode,
    result: entry.result,
    prevHash: entry.prevHash,
  });
  return sha256Hex(PREFIX + body);
}
