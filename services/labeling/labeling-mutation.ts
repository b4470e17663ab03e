import type { JsonObject, JsonValue } from '../../core/canonical-json.ts';
import { requireSignedIn } from '../access/access-control.ts';
import type { Actor } from '../actor.ts';
import { audited, clip } from '../audit/audited.ts';
import { requireLabeling, type LabelingNeed, type LabelingRole } from './labeling-access.ts';
import type { LabelingDeps } from './labeling-deps.ts';
import type { LabelingProjectRecord } from './labeling-store.ts';

/** A mutation of a labeling project as the audit log records it. */
export interface LabelingMutation<T> {
  readonly project: string;
  readonly name: string;
  readonly need: LabelingNeed;
  /** e.g. `labeling.submit`. */
  readonly action: string;
  /** What inside the labeling project was acted on (a path, a user); the project's name when absent. */
  readonly target?: string | undefined;
  /** Small, by hash (see AuditEvent.inputs). */
  readonly inputs: JsonObject;
  readonly result?: ((value: T) => JsonValue) | undefined;
}

/**
 * Runs a labeling mutation the way every service does: the actor must be signed in, the
 * labeling project is loaded and the actor's role checked (a refusal is audited as denied),
 * then the work runs and its outcome — ok with its result, or failed with the error's code —
 * is appended to the audit log. The target is `<labeling project>` or `<labeling project>:<target>`.
 */
export async function labelingMutation<T>(
  deps: LabelingDeps,
  actor: Actor | null,
  op: LabelingMutation<T>,
  work: (context: { actor: Actor; lp: LabelingProjectRecord; role: LabelingRole | null }) => Promise<T>,
): Promise<T> {
  const who = requireSignedIn(actor);
  const target = clip(op.target === undefined ? op.name : `${op.name}:${op.target}`);
  const event = { actor: who, action: op.action, project: op.project, target, inputs: op.inputs };
  return audited(deps.audit, event, async () => work(await requireLabeling(deps, who, op.project, op.name, op.need, op.action)), op.result);
}
