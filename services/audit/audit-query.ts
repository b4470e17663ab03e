import { InvalidInputError } from '../../core/errors.ts';
import { parseProjectName } from '../../core/ids.ts';
import type { AuditFilter } from './audit-entry.ts';
import type { AuditOutcome } from './audit-event.ts';
import { parseInstant } from './parse-instant.ts';

/** The largest page of entries one query returns. */
export const MAX_AUDIT_PAGE = 1000;
const MAX_TEXT = 256;
const OUTCOMES: readonly AuditOutcome[] = ['ok', 'denied', 'failed'];

/** What an auditor asks for, as it arrives from the API (absent fields may be null). */
export interface AuditQuery {
  /** Only this project's entries; without it, every entry of the instance (administrators only). */
  readonly project?: string | null | undefined;
  /** The acting user's name, exactly. */
  readonly actor?: string | null | undefined;
  /** An exact action (`branch.commit`), or a prefix ending in '.' (`branch.`). */
  readonly action?: string | null | undefined;
  readonly outcome?: string | null | undefined;
  /** ISO 8601; entries at or after it. */
  readonly since?: string | null | undefined;
  /** ISO 8601; entries before it. */
  readonly until?: string | null | undefined;
  /** The seq of the last entry of the previous page, in decimal: the next page holds older entries. */
  readonly after?: string | null | undefined;
  /** 1 to MAX_AUDIT_PAGE. */
  readonly limit: number;
}

/** A validated query: what to match and which page. */
export interface ParsedAuditQuery {
  readonly filter: AuditFilter;
  readonly beforeSeq: number | undefined;
  readonly limit: number;
}

/** @throws InvalidInputError (InvalidNameError for the project) naming the first bad field */
export function parseAuditQuery(query: AuditQuery): ParsedAuditQuery {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_AUDIT_PAGE)
    throw new InvalidInputError('limit', `must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
  const since = query.since != null ? parseInstant(query.since, 'since') : undefined;
  const until = query.until != null ? parseInstant(query.until, 'until') : undefined;
  if (since && until && until < since) throw new InvalidInputError('until', 'is before since');
  if (query.outcome != null && !(OUTCOMES as readonly string[]).includes(query.outcome))
    throw new InvalidInputError('outcome', `must be one of ${OUTCOMES.join(', ')}`);
  return {
    filter: {
      project: query.project != null ? parseProjectName(query.project) : undefined,
      actorName: query.actor != null ? text(query.actor, 'actor') : undefined,
      action: query.action != null ? text(query.action, 'action') : undefined,
      outcome: (query.outcome ?? undefined) as AuditOutcome | undefined,
      since,
      until,
    },
    beforeSeq: query.after != null ? parseSeq(query.after) : undefined,
    limit: query.limit,
  };
}

function text(value: string, field: string): string {
  if (value.length === 0 || value.length > MAX_TEXT) throw new InvalidInputError(field, `must be 1-${MAX_TEXT} characters`);
  return value;
}

function parseSeq(value: string): number {
  const seq = /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(seq)) throw new InvalidInputError('after', 'must be the seq of an audit entry (a positive integer)');
  return seq;
}
