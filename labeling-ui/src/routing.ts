import { useEffect, useState } from 'react';

/** The pages of the UI, addressed by the URL's hash so the server serves one index.html. */
export type Route =
  | { readonly page: 'login' }
  | { readonly page: 'projects' }
  | { readonly page: 'label'; readonly project: string; readonly labelingProject: string }
  | { readonly page: 'review'; readonly project: string; readonly labelingProject: string }
  | { readonly page: 'datasets'; readonly project: string; readonly dataset?: string }
  | { readonly page: 'unknown'; readonly hash: string };

/**
 * The route of a location hash: `#/login`, `#/` (projects), `#/label/:project/:labelingProject`,
 * `#/review/:project/:labelingProject`, `#/datasets/:project`, `#/datasets/:project/:dataset`.
 * Segments are URI-encoded; an empty hash is the project list.
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { page: 'projects' };
  let parts: string[];
  try {
    parts = path.replace(/^\//, '').split('/').map(decodeURIComponent);
  } catch {
    return { page: 'unknown', hash };
  }
  const [head, a, b, ...rest] = parts;
  if (rest.length > 0 || parts.some((part) => part === '')) return { page: 'unknown', hash };
  if (head === 'login' && a === undefined) return { page: 'login' };
  if ((head === 'label' || head === 'review') && a !== undefined && b !== undefined) return { page: head, project: a, labelingProject: b };
  if (head === 'datasets' && a !== undefined) return b === undefined ? { page: 'datasets', project: a } : { page: 'datasets', project: a, dataset: b };
  return { page: 'unknown', hash };
}

/** The hash addressing `route`; the inverse of parseRoute. */
export function hrefOf(route: Exclude<Route, { page: 'unknown' }>): string {
  const join = (...parts: string[]): string => '#/' + parts.map(encodeURIComponent).join('/');
  switch (route.page) {
    case 'login':
      return '#/login';
    case 'projects':
      return '#/';
    case 'label':
    case 'review':
      return join(route.page, route.project, route.labelingProject);
    case 'datasets':
      return route.dataset === undefined ? join('datasets', route.project) : join('datasets', route.project, route.dataset);
  }
}

/** Goes to `route`, adding a history entry. */
export function navigate(route: Exclude<Route, { page: 'unknown' }>): void {
  window.location.hash = hrefOf(route);
}

/** The current route, following the location hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
