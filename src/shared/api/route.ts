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

export interface StreamRoute<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  kind: 'stream';
  input: I;
  output: O;
  summary: string;
  /** Each pushed event: checked where it leaves (the dispatcher) and where it arrives (checkedEvents), like outputs. */
  event: E;
}

export type AnyRoute = CallRoute | StreamRoute;

export function callRoute<I extends z.ZodType, O extends z.ZodType>(spec: Omit<CallRoute<I, O>, 'kind'>): CallRoute<I, O> {
  return { kind: 'call', ...spec };
}

export function streamRoute<I extends z.ZodType, O extends z.ZodType, E extends z.ZodType>(spec: Omit<StreamRoute<I, O, E>, 'kind'>): StreamRoute<I, O, E> {
  return { kind: 'stream', ...spec };
}
