import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';
import { errorInfoOf } from '../../shared/api/api-error.ts';
import type { AppEventType } from '../../shared/api/schemas/events.ts';
import { onAppEvents } from './stores/events.ts';

export interface Loaded<T> {
  /** The last data loaded (kept while a reload is under way, so nothing flickers). */
  data?: T;
  error?: ErrorInfo;
  loading: boolean;
  reload(): void;
}

export interface DataOptions {
  /** The backend events after which this data is read again (whoever made the change: this window, another, a CLI). */
  refreshOn?: readonly AppEventType[];
}

/** Loads something from the API, again whenever `deps` change, one of `refreshOn` is heard, or reload() is called. */
export function useData<T>(load: () => Promise<T>, deps: unknown[] = [], options: DataOptions = {}): Loaded<T> {
  const [generation, setGeneration] = useState(0);
  const refreshOn = (options.refreshOn ?? []).join(' ');
  useEffect(() => {
    if (!refreshOn) return;
    return onAppEvents(refreshOn.split(' ') as AppEventType[], () => setGeneration((g) => g + 1));
  }, [refreshOn]);
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
