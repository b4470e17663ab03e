import { canonicalJson } from '../../core/canonical-json.ts';
import { sha256Hex } from '../../core/hash.ts';
import type { AccessControl } from '../access/access-control.ts';
import { credentialLabel, type Actor } from '../actor.ts';
import type { AuditEntry, AuditStore } from './audit-entry.ts';
import type { AuditEvent, AuditRecorder } from './audit-event.ts';
import { parseAuditQuery, type AuditQuery } from './audit-query.ts';
import { assertNoSecretKeys } from './secret-keys.ts';
import { verifyChain, type AuditVerification } from './verify-chain.ts';

/** Inputs and results are meant to be small (ids, hashes, digests); larger ones are kept by hash. */
export const MAX_AUDIT_JSON_BYTES = 64 * 1024;

export interface AuditLogDeps {
  readonly store: AuditStore;
  /** May be given later with `useAccessControl`: AccessControl itself records to this log. */
  readonly access?: AccessControl | undefined;
  /** The time stamped on entries; the system clock by default. */
  readonly clock?: (() => Date) | undefined;
}

/**
 * The hash-chained audit log: services record every mutation and refusal here; auditors query
 * and verify it. Reading is authorized (`audit.read` in a project, or instance administration
 * for the whole log) but not itself recorded, except when refused.
 *
 * Construction: `new AuditLog({ store })`, then `new AccessControl({ audit: log, … })`, then
 * `log.useAccessControl(access)`.
 */
export class AuditLog implements AuditRecorder {
  private access: AccessControl | undefined;
  private readonly clock: () => Date;

  constructor(private readonly deps: AuditLogDeps) {
    this.access = deps.access;
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Completes construction; queries and verification need it, recording does not. */
  useAccessControl(access: AccessControl): void {
    this.access = access;
  }

  /** `append` without the entry: the `AuditRecorder` services see. */
  async record(event: AuditEvent): Promise<void> {
    await this.append(event);
  }

  /**
   * Appends the event, chained to the entry before; resolves with the stored entry once it is
   * committed. Stores only what it is given: ids, hashes and digests, never secrets. Inputs or
   * a result over MAX_AUDIT_JSON_BYTES as canonical JSON are stored as
   * `{ "oversized": { bytes, sha256 } }` of that JSON, so recording a failure caused by an
   * oversized input cannot fail in turn.
   * @throws Error when inputs or result carry a key named like a secret (any depth): a fault
   * of the caller, not of its client
   */
  async append(event: AuditEvent): Promise<AuditEntry> {
    assertNoSecretKeys(event.inputs, 'inputs');
    assertNoSecretKeys(event.result, 'result');
    return this.deps.store.append({
      at: this.clock(),
      actorId: event.actor.userId,
      actorName: event.actor.name,
      credential: credentialLabel(event.actor.credential),
      action: event.action,
      project: event.project,
      target: event.target,
      inputs: boundedJson(event.inputs, 'inputs'),
      outcome: event.outcome,
      errorCode: event.errorCode ?? null,
      result: event.result === undefined ? null : boundedJson(event.result, 'result'),
    });
  }

  /**
   * Entries matching the query, newest first. With a project: needs `audit.read` there; without
   * one: the whole log (instance-wide entries included), for administrators only.
   * @throws InvalidInputError for a bad field; UnauthenticatedError, ForbiddenError
   */
  async query(actor: Actor | null, query: AuditQuery): Promise<AuditEntry[]> {
    const { filter, beforeSeq, limit } = parseAuditQuery(query);
    await this.authorize(actor, filter.project, 'audit.query');
    return this.deps.store.list(filter, { beforeSeq, limit });
  }

  /**
   * Walks the whole chain (see `verifyChain`). The chain is one for the instance, so a project's
   * auditor verifies all of it and learns its length and head, never other projects' entries.
   * @throws InvalidNameError for a bad project name; UnauthenticatedError, ForbiddenError
   */
  async verify(actor: Actor | null, project?: string | null): Promise<AuditVerification> {
    const { filter } = parseAuditQuery({ project, limit: 1 });
    await this.authorize(actor, filter.project, 'audit.verify');
    return verifyChain(this.deps.store);
  }

  private async authorize(actor: Actor | null, project: string | undefined, action: string): Promise<void> {
    if (!this.access) throw new Error('AuditLog.useAccessControl was not called');
    if (project === undefined) await this.access.requireAdmin(actor, action);
    else await this.access.require(actor, { project, permission: 'audit.read', action });
  }
}

function boundedJson(value: unknown, field: string): string {
  const text = canonicalJson(value, `audit ${field}`);
  const bytes = Buffer.byteLength(text);
  return bytes <= MAX_AUDIT_JSON_BYTES ? text : canonicalJson({ oversized: { bytes, sha256: sha256Hex(text) } });
}
