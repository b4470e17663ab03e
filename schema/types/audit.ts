import type { JsonValue } from '../../core/canonical-json.ts';
import type { AuditEntry } from '../../services/audit/audit-entry.ts';
import type { AuditVerification } from '../../services/audit/verify-chain.ts';
import { builder } from '../builder.ts';
import { typedErrors } from '../errors.ts';
import { forwardConnection } from '../pagination.ts';

const parsed = (text: string) => JSON.parse(text) as JsonValue;

export const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry').implement({
  description: 'One recorded mutation or refusal; its hash covers its fields and the previous entry\'s hash (docs/audit-log.md).',
  fields: (t) => ({
    seq: t.exposeFloat('seq', { description: 'Position in the log, from 1 without gaps (a Float: it may pass 2^31).' }),
    at: t.string({ resolve: (e) => e.at.toISOString() }),
    actor: t.exposeString('actorName', { description: 'The acting user\'s name ("sheaf" for the server itself).' }),
    actorId: t.exposeString('actorId', { nullable: true }),
    credential: t.exposeString('credential', { description: '"token:<id>", "session:<id>" or "system:<what>".' }),
    action: t.exposeString('action'),
    project: t.exposeString('project', { nullable: true }),
    target: t.exposeString('target', { nullable: true }),
    inputs: t.field({ type: 'JSON', description: 'Ids, hashes and digests of long lists; never secrets.', resolve: (e) => parsed(e.inputs) }),
    outcome: t.exposeString('outcome', { description: 'ok, denied or failed.' }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    result: t.field({ type: 'JSON', nullable: true, resolve: (e) => (e.result === null ? null : parsed(e.result)) }),
    prevHash: t.exposeString('prevHash'),
    hash: t.exposeString('hash'),
  }),
});

const AuditVerificationRef = builder.objectRef<AuditVerification>('AuditVerification').implement({
  description: 'The outcome of re-hashing the whole chain up to its head.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    checked: t.exposeFloat('checked', { description: 'Entries found sound, from entry 1 on.' }),
    headSeq: t.exposeFloat('headSeq'),
    headHash: t.exposeString('headHash', { description: 'Keep a copy elsewhere: only that catches a rewrite of the log\'s tail together with its head.' }),
    firstBadSeq: t.exposeFloat('firstBadSeq', { nullable: true }),
    problem: t.exposeString('problem', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.connection({
    type: AuditEntryRef,
    description: 'Audit entries newest first. With a project: its auditors and owners; without: administrators, the whole log. An action ending in "." matches as a prefix.',
    authScopes: { credential: 'read' },
    args: {
      project: t.arg.string(),
      actor: t.arg.string(),
      action: t.arg.string(),
      outcome: t.arg.string({ description: 'ok, denied or failed.' }),
      since: t.arg.string({ description: 'ISO 8601, inclusive.' }),
      until: t.arg.string({ description: 'ISO 8601, exclusive.' }),
    },
    resolve: (_, args, ctx) =>
      forwardConnection(args, (after, limit) => ctx.services.audit.query(ctx.actor, { ...args, after, limit }), (e) => String(e.seq)),
  }),
  verifyAuditLog: t.field({
    type: AuditVerificationRef,
    description: 'Re-hashes the whole chain; needs audit access to the project, or administration without one.',
    authScopes: { credential: 'read' },
    args: { project: t.arg.string() },
    errors: typedErrors,
    resolve: (_, { project }, ctx) => ctx.services.audit.verify(ctx.actor, project),
  }),
}));
