import { useEffect, useRef } from 'react';

/**
 * Calls `request(value)` once `value` has stayed the same for `delayMs`, and hands its result to `onResult`.
 * A newer value cancels the pending call and aborts the one under way (its signal), so a stale answer never
 * lands; failures are dropped (the next value asks again). The latest callbacks are used, so callers may
 * pass inline functions without restarting the wait on every render.
 */
export function useDebouncedCall<T, R>(
  value: T,
  delayMs: number,
  request: (value: T, signal: AbortSignal) => Promise<R>,
  onResult: (result: R) => void,
): void {
  const latest = useRef({ request, onResult });
  useEffect(() => {
    latest.current = { request, onResult };
  });
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      latest.current.request(value, controller.signal)
        .then((result) => {
          if (!controller.signal.aborted) latest.current.onResult(result);
        })
        .catch(() => undefined);
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value, delayMs]);
}
