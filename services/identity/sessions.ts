import { randomUUID } from 'node:crypto';
import { hashSecret, newSecret } from './secret-hash.ts';

/** How long a web session lasts unless the server is configured otherwise: 12 hours. */
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A session about to be stored: what the client gets, and what the server keeps. */
export interface NewSession {
  /** Names the session in the audit log (`session:<id>`); not a credential. */
  readonly id: string;
  /** The cookie's value; only its sha256 is stored. */
  readonly secret: string;
  readonly secretHash: string;
  /**
   * Returned to the client, which sends it back in a header with every unsafe request: a
   * cross-site page can make the browser send the cookie, but cannot read this.
   */
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** A new session for sign-in at `now`, ending `ttlMs` later. */
export function newSession(now: Date, ttlMs: number): NewSession {
  const secret = newSecret();
  return {
    id: randomUUID(),
    secret,
    secretHash: hashSecret(secret),
    csrfToken: newSecret(),
    expiresAt: new Date(now.getTime() + ttlMs),
  };
}
