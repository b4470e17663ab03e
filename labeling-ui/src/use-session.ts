import { useEffect, useState } from 'react';
import { messageOf } from './api/api-error.ts';
import { session, type Session } from './api/session.ts';

/** The page's session state: still asking the server, failed to ask, or known (null = signed out). */
export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string; retry(): void }
  | { readonly status: 'ready'; readonly session: Session | null };

/**
 * The page's session, recovered once from the cookie on load (`GET /v1/session`) and then
 * followed through sign-in and sign-out.
 */
export function useSession(): SessionState {
  const [state, setState] = useState<SessionState>(() => (session.current ? { status: 'ready', session: session.current } : { status: 'loading' }));
  const [attempt, setAttempt] = useState(0);
  useEffect(() => session.subscribe((current) => setState({ status: 'ready', session: current })), []);
  useEffect(() => {
    if (session.current) return;
    let live = true;
    session.restore().then(
      (restored) => live && setState({ status: 'ready', session: restored }),
      (error: unknown) => live && setState({ status: 'error', message: messageOf(error), retry: () => setAttempt((n) => n + 1) }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return state;
}
