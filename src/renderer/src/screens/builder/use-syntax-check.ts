import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { api } from '../../api/client.ts';

const DEBOUNCE_MS = 400;

/** The code's syntax error, checked in the sandbox a moment after typing stops; stale checks are dropped. */
export function useSyntaxCheck(code: string): ErrorInfo | null {
  const [problem, setProblem] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api().call('runs.checkSyntax', { code }, { signal: controller.signal })
        .then((result) => !controller.signal.aborted && setProblem(result.error?.code === 'SYNTAX_ERROR' ? result.error : null))
        .catch(() => undefined);
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [code]);
  return problem;
}
