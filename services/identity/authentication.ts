import { InvalidNameError, UnauthenticatedError } from '../../core/errors.ts';
import type { Clock } from '../../core/ports.ts';
import { SCOPES, type Actor, type Credential } from '../actor.ts';
import type { AuditRecorder } from '../audit/audit-event.ts';
import { anonymousActor } from './anonymous-actor.ts';
import { parseApiToken } from './api-token.ts';
import { clip } from '../audit/audited.ts';
import type { IdentityStore, User, UserRecord } from './identity-store.ts';
import { verifyPassword } from './passwords.ts';
import { hashSecret, hashesEqual, isSecret } from './secret-hash.ts';
import { newSession } from './sessions.ts';
import { parseUserName } from './user-name.ts';

/** Who a request's credential belongs to; `csrfToken` is the session's, null for API tokens. */
export interface Authenticated {
  readonly actor: Actor;
  readonly csrfToken: string | null;
}

/** A signed-in session as its owner sees it. */
export interface SessionView {
  readonly user: Pick<User, 'id' | 'name' | 'isAdmin'>;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** What `login` hands the client: the cookie's secret besides the session. */
export interface SignedIn extends SessionView {
  readonly sessionSecret: string;
}

/** The reasons UnauthenticatedError gives. A bad token and a failed sign-in do not say which part was wrong. */
export const AUTH_FAILURES = {
  unknownToken: 'unknown or malformed token',
  tokenExpired: 'token expired',
  tokenRevoked: 'token revoked',
  sessionEnded: 'session expired or signed out',
  wrongLogin: 'wrong user name or password',
} as const;

/** `last_used_at` is written at most this often per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface AuthenticationDeps {
  readonly store: IdentityStore;
  readonly audit: AuditRecorder;
  readonly clock: Clock;
  readonly sessionTtlMs: number;
}

/**
 * Checks credentials: API tokens, and passwords for sign-in, which starts a web session.
 * IdentityService offers these with the rest of identity; they need no AccessControl.
 *
 * Failed checks are audited as `auth.failed` by an anonymous actor naming the credential
 * tried: a token whose string is well formed (id known or not), or a session found but
 * expired. Garbage tokens and unknown session cookies are not recorded, so noise cannot flood
 * the log; rate limiting them is the HTTP layer's.
 */
export class Authentication {
  constructor(private readonly deps: AuthenticationDeps) {}

  /**
   * The actor behind a bearer token or a session cookie's secret (the token wins when both are
   * given); null when neither is. Token actors have the token's scopes; session actors have
   * every scope (roles and `isAdmin` still limit them).
   * @throws UnauthenticatedError with one of AUTH_FAILURES as the reason
   */
  async authenticate(credentials: { bearer?: string | undefined; sessionSecret?: string | undefined }): Promise<Authenticated | null> {
    if (credentials.bearer !== undefined) return { actor: await this.tokenActor(credentials.bearer), csrfToken: null };
    if (credentials.sessionSecret === undefined) return null;
    const session = await this.liveSession(credentials.sessionSecret);
    return { actor: sessionActor(session), csrfToken: session.csrfToken };
  }

  /** The session a cookie's secret belongs to. @throws UnauthenticatedError */
  async describeSession(sessionSecret: string): Promise<SessionView> {
    const session = await this.liveSession(sessionSecret);
    return { user: { id: session.userId, name: session.user, isAdmin: session.userIsAdmin }, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  }

  /**
   * Signs in with a password and starts a session. A wrong name and a wrong password fail
   * alike and take alike long. Audited as `auth.login`; `meta` (client address, user agent) is
   * recorded with it.
   * @throws UnauthenticatedError('wrong user name or password')
   */
  async login(name: string, password: string, meta: { address?: string | undefined; userAgent?: string | undefined } = {}): Promise<SignedIn> {
    const inputs = { name: clip(name), address: clip(meta.address ?? null), userAgent: clip(meta.userAgent ?? null) };
    let user: UserRecord | null = null;
    try {
      user = await this.deps.store.getUserByName(parseUserName(name));
    } catch (error) {
      if (!(error instanceof InvalidNameError)) throw error;
    }
    const matches = await verifyPassword(user?.passwordHash ?? null, typeof password === 'string' ? password : '');
    if (!user || !matches) {
      const actor = anonymousActor({ kind: 'session', id: 'unknown' });
      await this.deps.audit.record({ actor, action: 'auth.login', project: null, target: null, inputs, outcome: 'failed', errorCode: UnauthenticatedError.code });
      throw new UnauthenticatedError(AUTH_FAILURES.wrongLogin);
    }
    const session = newSession(this.deps.clock.now(), this.deps.sessionTtlMs);
    await this.deps.store.insertSession({ id: session.id, userId: user.id, secretHash: session.secretHash, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
    const actor: Actor = { userId: user.id, name: user.name, isAdmin: user.isAdmin, credential: { kind: 'session', id: session.id }, scopes: new Set(SCOPES) };
    await this.deps.audit.record({ actor, action: 'auth.login', project: null, target: null, inputs, outcome: 'ok' });
    return { sessionSecret: session.secret, csrfToken: session.csrfToken, expiresAt: session.expiresAt, user: { id: user.id, name: user.name, isAdmin: user.isAdmin } };
  }

  /** Ends the session the secret belongs to; false when there is none (already signed out). */
  async logout(sessionSecret: string): Promise<boolean> {
    if (!isSecret(sessionSecret)) return false;
    const session = await this.deps.store.findSession(hashSecret(sessionSecret));
    if (!session || !(await this.deps.store.deleteSession(session.id))) return false;
    await this.deps.audit.record({ actor: sessionActor(session), action: 'auth.logout', project: null, target: null, inputs: {}, outcome: 'ok' });
    return true;
  }

  private async tokenActor(bearer: string): Promise<Actor> {
    const parsed = parseApiToken(bearer);
    if (!parsed) throw new UnauthenticatedError(AUTH_FAILURES.unknownToken);
    const token = await this.deps.store.getToken(parsed.id);
    // The secret is checked before anything else is told, so that knowing an id (they show
    // in lists and the audit log) does not reveal whether its token was revoked or expired.
    let failure: string | null = null;
    const now = this.deps.clock.now();
    if (!token || !hashesEqual(token.secretHash, hashSecret(parsed.secret))) failure = AUTH_FAILURES.unknownToken;
    else if (token.revokedAt !== null) failure = AUTH_FAILURES.tokenRevoked;
    else if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime()) failure = AUTH_FAILURES.tokenExpired;
    if (failure !== null || !token) return this.failAuthentication({ kind: 'token', id: parsed.id }, failure ?? AUTH_FAILURES.unknownToken);
    if (token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS)
      await this.deps.store.touchToken(token.id, now, new Date(now.getTime() - TOUCH_INTERVAL_MS));
    return { userId: token.userId, name: token.user, isAdmin: token.userIsAdmin, credential: { kind: 'token', id: token.id }, scopes: new Set(token.scopes) };
  }

  private async liveSession(secret: string) {
    const session = isSecret(secret) ? await this.deps.store.findSession(hashSecret(secret)) : null;
    if (!session) throw new UnauthenticatedError(AUTH_FAILURES.sessionEnded);
    if (session.expiresAt.getTime() <= this.deps.clock.now().getTime()) {
      await this.deps.store.deleteSession(session.id);
      return this.failAuthentication({ kind: 'session', id: session.id }, AUTH_FAILURES.sessionEnded);
    }
    return session;
  }

  private async failAuthentication(credential: Credential, reason: string): Promise<never> {
    const actor = anonymousActor(credential);
    await this.deps.audit.record({ actor, action: 'auth.failed', project: null, target: null, inputs: { reason }, outcome: 'failed', errorCode: UnauthenticatedError.code });
    throw new UnauthenticatedError(reason);
  }
}

/**
 * A password session has every scope: scopes limit what a token handed to a program may do,
 * while a person signed in is limited by roles and `isAdmin` alone.
 */
function sessionActor(session: { id: string; userId: string; user: string; userIsAdmin: boolean }): Actor {
  return { userId: session.userId, name: session.user, isAdmin: session.userIsAdmin, credential: { kind: 'session', id: session.id }, scopes: new Set(SCOPES) };
}
