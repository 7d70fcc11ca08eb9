/** Runs an async load whenever its key changes and exposes value, error and reload. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './api-client';

/** Loading state of one value. */
export interface AsyncState<T> {
  /** The latest loaded value; kept while a reload runs so lists do not flicker. */
  value: T | null;
  errorMessage: string | null;
  isLoading: boolean;
  reload: () => void;
}

/**
 * Loads with `load` whenever `key` (a string naming the inputs) changes or
 * `reload` is called; an answer for a superseded key is dropped, so a slow reply
 * never overwrites a newer one.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const loadRef = useRef(load);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{
    key: string;
    value: T | null;
    errorMessage: string | null;
  }>({ key: '', value: null, errorMessage: null });
  const requestKey = `${key}#${generation}`;

  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let isCurrent = true;
    loadRef.current().then(
      (value) => {
        if (isCurrent) setState({ key: requestKey, value, errorMessage: null });
      },
      (error: unknown) => {
        if (!isCurrent) return;
        setState((previous) => ({
          key: requestKey,
          value: previous.value,
          errorMessage: describeError(error),
        }));
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [requestKey]);

  const reload = useCallback(() => setGeneration((count) => count + 1), []);
  return {
    value: state.value,
    errorMessage: state.errorMessage,
    isLoading: state.key !== requestKey,
    reload,
  };
}
