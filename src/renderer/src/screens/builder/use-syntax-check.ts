import { useMemo, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { api } from '../../api/client.ts';
import { useDebouncedCall } from '../../use-debounced-call.ts';

const DEBOUNCE_MS = 400;

/**
 * The syntax error of one Python file of the plugin (plugin.py or a helper module), checked in the
 * sandbox a moment after typing stops; stale checks are dropped, and a verdict on another file is
 * never shown for this one.
 */
export function useSyntaxCheck(code: string, filename: string): ErrorInfo | null {
  const [checked, setChecked] = useState<{ filename: string; problem: ErrorInfo | null }>();
  const source = useMemo(() => ({ code, filename }), [code, filename]);
  useDebouncedCall(
    source,
    DEBOUNCE_MS,
    (asked, signal) => api().call('runs.checkSyntax', asked, { signal }).then((result) => ({ asked, result })),
    ({ asked, result }) => setChecked({ filename: asked.filename, problem: result.error?.code === 'SYNTAX_ERROR' ? result.error : null }),
  );
  return checked?.filename === filename ? checked.problem : null;
}
