import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.ts';
import { SCOPES, type Scope } from '../actor.ts';
import { hashSecret, isSecret, newSecret } from './secret-hash.ts';

/**
 * API tokens are `shf_<id>_<secret>`: `id` is 12 lowercase base32 characters (60 random bits)
 * naming the token in lists and the audit log, `secret` 32 random bytes in base64url. Only
 * sha256(secret) is stored. The prefix makes leaked tokens easy to find (secret scanners,
 * grep) and tells them apart from session cookies.
 */
export const TOKEN_PREFIX = 'shf_';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const TOKEN_ID = /^[a-z2-7]{12}$/;
const TOKEN = /^shf_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;

/** A freshly made token: the string handed out once, and what is stored of it. */
export interface NewApiToken {
  readonly id: string;
  readonly token: string;
  readonly secretHash: string;
}

export function newApiToken(): NewApiToken {
  const id = Array.from(randomBytes(12), (byte) => BASE32[byte & 31]).join('');
  const secret = newSecret();
  return { id, token: `${TOKEN_PREFIX}${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The id and secret of a well-formed token string, or null for anything else. */
export function parseApiToken(value: string): { id: string; secret: string } | null {
  const match = TOKEN.exec(value);
  if (!match || !isSecret(match[2]!)) return null;
  return { id: match[1]!, secret: match[2]! };
}

/** Whether `value` could be a token id (what `revokeToken` and the audit log name). */
export function isApiTokenId(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_ID.test(value);
}

/**
 * A token's scopes: a non-empty subset of read, write, admin, deduplicated, in that order.
 * @throws InvalidInputError('scopes')
 */
export function parseScopes(value: unknown): Scope[] {
  if (!Array.isArray(value)) throw new InvalidInputError('scopes', 'is not a list');
  for (const scope of value)
    if (!(SCOPES as readonly unknown[]).includes(scope))
      throw new InvalidInputError('scopes', `${JSON.stringify(scope)} is not one of ${SCOPES.join(', ')}`);
  const scopes = SCOPES.filter((scope) => value.includes(scope));
  if (scopes.length === 0) throw new InvalidInputError('scopes', 'must name at least one scope');
  return scopes;
}

const MAX_TOKEN_NAME = 100;

/**
 * What the owner calls a token, to recognize it in lists: 1-100 characters, no control
 * characters, not blank.
 * @throws InvalidInputError('token name')
 */
export function parseTokenName(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidInputError('token name', 'is not a string');
  if (value.trim() === '' || value.length > MAX_TOKEN_NAME)
    throw new InvalidInputError('token name', `must be 1-${MAX_TOKEN_NAME} characters, not only spaces`);
  if (/\p{Cc}/u.test(value)) throw new InvalidInputError('token name', 'must not contain control characters');
  return value;
}

/** Ten years: past that, "never" (no expiry) says it better. */
const MAX_EXPIRY_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When a new token expires: at `expiresAt` (an ISO 8601 time with a zone), after
 * `expiresInDays` whole days, or never when neither is given.
 * @throws InvalidInputError('expiry') for both given, a malformed time, a time not after `now`,
 * or a day count outside 1..3650
 */
export function parseExpiry(input: { expiresAt?: unknown; expiresInDays?: unknown }, now: Date): Date | null {
  const { expiresAt, expiresInDays } = input;
  if (expiresAt != null && expiresInDays != null) throw new InvalidInputError('expiry', 'give expiresAt or expiresInDays, not both');
  if (expiresInDays != null) {
    if (typeof expiresInDays !== 'number' || !Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > MAX_EXPIRY_DAYS)
      throw new InvalidInputError('expiry', `expiresInDays must be a whole number from 1 to ${MAX_EXPIRY_DAYS}`);
    return new Date(now.getTime() + expiresInDays * DAY_MS);
  }
  if (expiresAt == null) return null;
  // A zone is required: a time without one would mean something else on every server.
  if (typeof expiresAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(expiresAt))
    throw new InvalidInputError('expiry', 'expiresAt must be an ISO 8601 time with a zone, e.g. 2030-01-31T00:00:00Z');
  const at = new Date(expiresAt);
  // Date rolls 2030-02-31 over into March instead of refusing it.
  const [year, month, day] = expiresAt.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (Number.isNaN(at.getTime()) || new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day)
    throw new InvalidInputError('expiry', 'expiresAt is not a valid time');
  if (at.getTime() <= now.getTime()) throw new InvalidInputError('expiry', 'expiresAt must be in the future');
  if (at.getTime() > now.getTime() + MAX_EXPIRY_DAYS * DAY_MS) throw new InvalidInputError('expiry', `expiresAt must be within ${MAX_EXPIRY_DAYS} days`);
  return at;
}
