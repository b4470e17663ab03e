import { useRef } from 'react';
import { session, type Session } from './api/session.ts';
import { DatasetBrowser } from './datasets/dataset-browser.tsx';
import { LabelingView } from './label/labeling-view.tsx';
import { LoginPage } from './login/login-page.tsx';
import { ProjectList } from './projects/project-list.tsx';
import { ReviewView } from './review/review-view.tsx';
import { hrefOf, navigate, useRoute, type Route } from './routing.ts';
import { useSession } from './use-session.ts';

/**
 * The shell: recovers the session, shows the sign-in page to anyone signed out (then returns to
 * the page they asked for), and routes by the location hash. A session that ends while a page
 * is open is renewed over that page, not instead of it.
 */
export function App() {
  const route = useRoute();
  const state = useSession();
  // Who was signed in on this page; forgotten when they sign out, kept when the session is lost.
  const lastUser = useRef<Session | null>(null);
  const signingOut = useRef(false);
  if (state.status === 'loading') return <p className="status" role="status">Loading…</p>;
  if (state.status === 'error')
    return (
      <p role="alert" className="error">
        Cannot reach the server: {state.message} <button onClick={state.retry}>Try again</button>
      </p>
    );
  const current = state.session ?? lastUser.current;
  if (state.session && !signingOut.current) lastUser.current = state.session;
  if (current === null || route.page === 'login')
    return (
      <LoginPage
        onSignedIn={() => {
          signingOut.current = false;
          if (route.page === 'login') navigate({ page: 'projects' });
        }}
      />
    );
  return (
    <div className="shell">
      <header className="topbar">
        <a href={hrefOf({ page: 'projects' })} className="brand">
          Sheaf
        </a>
        <span className="muted" data-testid="signed-in-user">
          {current.user.name}
        </span>
        <button
          className="secondary"
          data-testid="sign-out"
          onClick={() => {
            signingOut.current = true;
            lastUser.current = null;
            void session.signOut();
          }}
        >
          Sign out
        </button>
      </header>
      <Page route={route} />
      {state.session === null && (
        // The session ended under the page (expired, revoked): sign in over it, so the work
        // on the page (labels not yet acknowledged) survives and can be sent again.
        <div className="modal" role="dialog" aria-modal="true" aria-label="Sign in again">
          <p>Your session ended. Sign in again to go on; nothing on this page is lost.</p>
          <LoginPage />
        </div>
      )}
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'login':
    case 'projects':
      return <ProjectList />;
    case 'label':
      return <LabelingView key={`${route.project}/${route.labelingProject}`} project={route.project} labelingProject={route.labelingProject} />;
    case 'review':
      return <ReviewView key={`${route.project}/${route.labelingProject}`} project={route.project} labelingProject={route.labelingProject} />;
    case 'datasets':
      return <DatasetBrowser key={route.project} project={route.project} {...(route.dataset === undefined ? {} : { dataset: route.dataset })} />;
    case 'unknown':
      return (
        <p className="status">
          Nothing here. <a href={hrefOf({ page: 'projects' })}>Back to the projects</a>
        </p>
      );
  }
}
