import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from './api/api-error.ts';

/** A value being loaded: pending, failed (with the message), or there. */
export type AsyncState<T> = { readonly status: 'loading' } | { readonly status: 'error'; readonly message: string } | { readonly status: 'ready'; readonly value: T };

/**
 * Runs `load` when `deps` change and follows its outcome; `reload` runs it again, keeping the
 * old value on screen until the new one arrives. An answer that arrives after the deps changed
 * is dropped, so a slow old request never overwrites a new one.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const lastGeneration = useRef(generation);
  useEffect(() => {
    let live = true;
    const reloading = lastGeneration.current !== generation;
    lastGeneration.current = generation;
    if (!reloading) setState({ status: 'loading' });
    load().then(
      (value) => live && setState({ status: 'ready', value }),
      (error: unknown) => live && setState({ status: 'error', message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
    // `load` is a new closure each render; the caller's deps say when it means something new.
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return [state, reload];
}
