import type { z } from 'zod';

/**
 * A route is a named request with a validated input and a typed output. A stream route also
 * pushes events while it works (run logs, AI tokens) before its single final output.
 */
export interface CallRoute<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: 'call';
  input: I;
  output: O;
  summary: string;
}

export interface StreamRoute<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, E = unknown> {
  kind: 'stream';
  input: I;
  output: O;
  summary: string;
  /** Phantom: the type of each pushed event (events flow server → client and are not validated). */
  event?: E;
}

export type AnyRoute = CallRoute | StreamRoute;

export function callRoute<I extends z.ZodType, O extends z.ZodType>(spec: Omit<CallRoute<I, O>, 'kind'>): CallRoute<I, O> {
  return { kind: 'call', ...spec };
}

export function streamRoute<E>() {
  return <I extends z.ZodType, O extends z.ZodType>(spec: Omit<StreamRoute<I, O, E>, 'kind' | 'event'>): StreamRoute<I, O, E> => ({
    kind: 'stream',
    ...spec,
  });
}
