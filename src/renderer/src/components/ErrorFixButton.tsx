import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors.ts';
import { api } from '../api/client.ts';
import { errorFix, type ErrorFix } from '../run/error-fix.ts';
import { builderStore } from '../stores/builder.ts';
import { marketStore } from '../stores/market.ts';
import { pullStore } from '../stores/pull.ts';
import { uiStore } from '../stores/ui.ts';

async function apply(fix: ErrorFix): Promise<void> {
  if (fix.kind === 'approve') await api().call('models.approve', { name: fix.model, approved: true });
  else if (fix.kind === 'add-to-manifest') {
    const { models } = builderStore.getState().manifest;
    builderStore.getState().setManifest({ models: [...new Set([...models, fix.model])] });
  } else if (fix.kind === 'pull') {
    void pullStore.getState().start(fix.model);
    uiStore.getState().setScreen('models');
  } else {
    marketStore.getState().openDetail(fix.name, fix.version, true);
    uiStore.getState().setScreen('marketplace');
  }
}

/** The one-click fix a failed run's typed error details allow; after it, the user runs again. */
export function ErrorFixButton({ error, fromBuilder }: { error: ErrorInfo | undefined; fromBuilder: boolean }): React.JSX.Element | null {
  const [state, setState] = useState<{ done?: ErrorFix; failed?: string }>({});
  const fix = errorFix(error, fromBuilder);
  if (!fix) return null;
  // The pane keys this button by run, so a fix done stays done only for the run it fixed.
  const done = state.done !== undefined;
  const run = (): void => {
    apply(fix).then(() => setState({ done: fix }), (failure: unknown) => setState({ failed: failure instanceof Error ? failure.message : String(failure) }));
  };
  return (
    <div className="hint" data-testid="error-fix">
      <button type="button" onClick={run} disabled={done}>{done ? `${fix.label}: done, run again` : fix.label}</button>
      {state.failed && <span role="alert"> {state.failed}</span>}
    </div>
  );
}
