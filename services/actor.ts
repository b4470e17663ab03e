/** What a credential may be used for, whatever its user's roles: the lesser of the two wins. */
export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** How an actor proved who it is; recorded in the audit log. Never the secret itself. */
export type Credential =
  | { readonly kind: 'token'; readonly id: string }
  | { readonly kind: 'session'; readonly id: string }
  | { readonly kind: 'system'; readonly id: string };

/**
 * Who performs an operation. Services authorize from it (see services/access/) and record it
 * (commit authors, the audit log).
 */
export interface Actor {
  /** The user's id; null only for the server's own work (system credential). */
  readonly userId: string | null;
  /** The user's name; shown as the author of commits. */
  readonly name: string;
  /** Instance administrators manage users, projects and memberships; data access still comes from roles. */
  readonly isAdmin: boolean;
  readonly credential: Credential;
  readonly scopes: ReadonlySet<Scope>;
}

/** "token:<id>", "session:<id>" or "system:<what>", as the audit log names a credential. */
export function credentialLabel(credential: Credential): string {
  return `${credential.kind}:${credential.id}`;
}

/** The server acting on its own behalf (start-up tasks), with every scope and no user. */
export function systemActor(what: string): Actor {
  return { userId: null, name: 'sheaf', isAdmin: true, credential: { kind: 'system', id: what }, scopes: new Set(SCOPES) };
}
