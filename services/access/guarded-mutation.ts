import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import type { Actor } from '../actor.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import { audited } from '../audit/audited.ts';
import type { AccessControl, AccessRequest } from './access-control.ts';

/** Instance administration (users, projects): needs an administrator, see AccessControl.requireAdmin. */
export interface AdminRequest {
  readonly admin: true;
  readonly action: string;
  readonly project: string | null;
}

/** A mutation as the audit log records it. */
export interface MutationRecord {
  /** What was acted on inside the project, e.g. `images@main`. */
  readonly target: string | null;
  /** Small, by hash; see AuditEvent.inputs. */
  readonly inputs: JsonObject;
}

/**
 * Runs a mutation the way every service does: authorize (a refusal is audited and thrown),
 * then do the work and append its outcome to the audit log (see `audited`: ok with its
 * result, or failed with the error's code). The entry is written after the work, so the log
 * holds what happened, not what was intended.
 */
export async function guardedMutation<T>(
  deps: { access: AccessControl; audit: AuditRecorder },
  actor: Actor | null,
  request: AccessRequest | AdminRequest,
  record: MutationRecord,
  work: (actor: Actor) => Promise<T>,
  resultOf?: (value: T) => JsonValue,
): Promise<T> {
  const allowed = 'permission' in request ? await deps.access.require(actor, request) : await deps.access.requireAdmin(actor, request.action);
  const event = { actor: allowed, action: request.action, project: request.project, target: record.target, inputs: record.inputs };
  return audited(deps.audit, event, () => work(allowed), resultOf);
}
