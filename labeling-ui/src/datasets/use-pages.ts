import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from './dataset-api.ts';

export interface PagedList<T> {
  readonly nodes: readonly T[];
  /** More pages wait on the server. */
  readonly hasMore: boolean;
  readonly loading: boolean;
  /** The failure of the last load, if it failed. */
  readonly error: unknown;
  /** Loads the next page and appends it. */
  more(): void;
  /** Loads from the first page again. */
  reload(): void;
}

/**
 * A list loaded a page at a time with `load(after)`, from the first page again whenever `deps`
 * change. Answers to requests made for older deps are dropped.
 */
export function usePages<T>(load: (after: string | null) => Promise<Page<T>>, deps: readonly unknown[]): PagedList<T> {
  const [nodes, setNodes] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const live = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const fetchPage = useCallback((after: string | null, ticket: number) => {
    setLoading(true);
    loader.current(after).then(
      (page) => {
        if (live.current !== ticket) return;
        setNodes((held) => (after === null ? page.nodes : [...held, ...page.nodes]));
        setNext(page.next);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (live.current !== ticket) return;
        setError(failure);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    const ticket = ++live.current;
    setNodes([]);
    setNext(null);
    fetchPage(null, ticket);
    // The caller's deps say when `load` means something new.
  }, [...deps, generation]);

  return {
    nodes,
    hasMore: next !== null,
    loading,
    error,
    more: () => {
      if (next !== null && !loading) fetchPage(next, live.current);
    },
    reload: () => setGeneration((n) => n + 1),
  };
}
