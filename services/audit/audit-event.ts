import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import type { Actor } from '../actor.ts';

/** How an attempted operation ended. */
export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** One attempted mutation (or refused access), as services report it. */
export interface AuditEvent {
  readonly actor: Actor;
  /** Dotted operation name, e.g. `branch.commit`, `token.create`, `auth.login`. */
  readonly action: string;
  /** The project acted on; null for instance-wide actions (users, tokens, sign-in). */
  readonly project: string | null;
  /** What was acted on inside it, e.g. `images@main`; null when the action says it all. */
  readonly target: string | null;
  /**
   * The inputs, small and by hash: blob and commit hashes as they are, long lists as
   * `{ count, sha256 }` of their canonical JSON (see `digestOf`). Never a secret: a key whose
   * name ends in password, token or secret (say `tokenId`, not `token`) is refused, here and in
   * `result` (see services/audit/secret-keys.ts).
   */
  readonly inputs: JsonObject;
  readonly outcome: AuditOutcome;
  /** The error's code when the outcome is not `ok`. */
  readonly errorCode?: string | null | undefined;
  /** What came of it, e.g. `{ commit }`; small. */
  readonly result?: JsonValue | undefined;
}

/** Appends events to the audit log. */
export interface AuditRecorder {
  /** Appends one entry, chained to the one before; resolves once it is durable. */
  record(event: AuditEvent): Promise<void>;
}
