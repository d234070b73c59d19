import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';
import { errorInfoOf } from '../../shared/api/api-error.ts';

export interface Loaded<T> {
  /** The last data loaded (kept while a reload is under way, so nothing flickers). */
  data?: T;
  error?: ErrorInfo;
  loading: boolean;
  reload(): void;
}

/** Loads something from the API, again whenever `deps` change or reload() is called. */
export function useData<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([generation, ...deps]);
  const [state, setState] = useState<{ key?: string; data?: T; error?: ErrorInfo }>({});
  const latestLoad = useRef(load);
  useEffect(() => {
    latestLoad.current = load;
  });
  useEffect(() => {
    let current = true;
    latestLoad.current().then(
      (data) => current && setState({ key, data }),
      (error: unknown) => current && setState((s) => ({ key, data: s.data, error: errorInfoOf(error) })),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return {
    data: state.data,
    error: state.key === key ? state.error : undefined,
    loading: state.key !== key,
    reload: () => setGeneration((g) => g + 1),
  };
}
