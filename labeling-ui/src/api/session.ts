import { ApiError } from './api-error.ts';
import { fetchJson } from './http-json.ts';

/** A signed-in web session, as `POST /v1/session` and `GET /v1/session` describe it. */
export interface Session {
  readonly user: { readonly name: string; readonly isAdmin: boolean };
  /** Sent back in `X-CSRF-Token` with every state-changing request. */
  readonly csrfToken: string;
  readonly expiresAt: string;
}

type Listener = (session: Session | null) => void;

/**
 * The browser's side of web sign-in. The session secret lives in an HttpOnly cookie the page
 * cannot read; the CSRF token lives only in memory here, never in storage a script of another
 * page could reach. After a reload it is recovered with `GET /v1/session` (`restore`).
 */
export class SessionClient {
  #current: Session | null = null;
  readonly #listeners = new Set<Listener>();

  /** The live session, if this page knows one. */
  get current(): Session | null {
    return this.#current;
  }

  /** The CSRF token of the live session; null when signed out. */
  get csrfToken(): string | null {
    return this.#current?.csrfToken ?? null;
  }

  /**
   * Signs in with a name and password.
   * @throws ApiError UNAUTHENTICATED for a wrong name or password, RATE_LIMITED after too many tries.
   */
  async signIn(name: string, password: string): Promise<Session> {
    const { body } = await fetchJson('/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.#csrfHeader() },
      body: JSON.stringify({ name, password }),
    });
    return this.#set(sessionOf(body));
  }

  /**
   * Recovers the session of the page's cookie (after a reload); null when there is none.
   * @throws ApiError for failures other than "not signed in" (e.g. NETWORK).
   */
  async restore(): Promise<Session | null> {
    try {
      const { body } = await fetchJson('/v1/session', { headers: { accept: 'application/json' } });
      return this.#set(sessionOf(body));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.#set(null);
      throw error;
    }
  }

  /** Ends the session on the server and forgets it here, whatever the server answered. */
  async signOut(): Promise<void> {
    try {
      await fetchJson('/v1/session', { method: 'DELETE', headers: this.#csrfHeader() });
    } finally {
      this.#set(null);
    }
  }

  /** Forgets the session without asking the server: it said the session is gone. */
  forget(): void {
    this.#set(null);
  }

  /** Calls `listener` on every sign-in and sign-out; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #csrfHeader(): Record<string, string> {
    return this.#current ? { 'x-csrf-token': this.#current.csrfToken } : {};
  }

  #set<T extends Session | null>(session: T): T {
    const changed = session?.csrfToken !== this.#current?.csrfToken || session?.user.name !== this.#current?.user.name;
    this.#current = session;
    if (changed) for (const listener of this.#listeners) listener(session);
    return session;
  }
}

function sessionOf(body: unknown): Session {
  const candidate = body as Partial<Session> | null;
  if (typeof candidate?.csrfToken !== 'string' || typeof candidate.user?.name !== 'string' || typeof candidate.expiresAt !== 'string')
    throw new ApiError('BAD_RESPONSE', 'the server answered the session request with an unexpected body');
  return { user: { name: candidate.user.name, isAdmin: candidate.user.isAdmin === true }, csrfToken: candidate.csrfToken, expiresAt: candidate.expiresAt };
}

/** The page's one session. */
export const session = new SessionClient();
