import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { api } from '../../api/client.ts';
import { useDebouncedCall } from '../../use-debounced-call.ts';

const DEBOUNCE_MS = 400;

/** The code's syntax error, checked in the sandbox a moment after typing stops; stale checks are dropped. */
export function useSyntaxCheck(code: string): ErrorInfo | null {
  const [problem, setProblem] = useState<ErrorInfo | null>(null);
  useDebouncedCall(
    code,
    DEBOUNCE_MS,
    (source, signal) => api().call('runs.checkSyntax', { code: source }, { signal }),
    (result) => setProblem(result.error?.code === 'SYNTAX_ERROR' ? result.error : null),
  );
  return problem;
}
