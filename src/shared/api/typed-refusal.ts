import type { z } from 'zod';
import type { DetailedCode, ErrorDetails, ErrorInfo } from '../errors.ts';

const KEY = 'wasmforgeRefusal';

/**
 * What a schema's refinement attaches to its issue (zod's `params`) when the refusal has a typed
 * error of its own: the dispatcher answers with that code and details, not the generic BAD_INPUT,
 * so the API refuses bad input exactly as the code below it would (one code, whichever door).
 */
export function typedRefusal<C extends DetailedCode>(code: C, message: string, details: ErrorDetails<C>): Record<string, unknown> {
  return { [KEY]: { code, message, details } };
}

/** The first typed refusal among a failed parse's issues, if any. */
export function typedRefusalOf(error: z.ZodError): ErrorInfo | undefined {
  for (const issue of error.issues) {
    const refusal = issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined)?.[KEY] : undefined;
    if (refusal) return refusal as ErrorInfo;
  }
  return undefined;
}
