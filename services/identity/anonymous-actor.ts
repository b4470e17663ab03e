import type { Actor, Credential } from '../actor.ts';

/**
 * Who the audit log names for a failed sign-in: nobody, with no scopes, and the credential
 * that was tried (a token id, a session id, or 'unknown'), never its secret.
 */
export function anonymousActor(credential: Credential): Actor {
  return { userId: null, name: 'anonymous', isAdmin: false, credential, scopes: new Set() };
}
