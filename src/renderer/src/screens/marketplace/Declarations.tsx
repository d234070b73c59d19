import type { ReviewedVersion } from '../../../../shared/api/schemas/marketplace.ts';
import type { ModelInfo } from '../../../../shared/api/schemas/system.ts';
import { describeLimits, lowered } from '../../limits.ts';
import { useUi } from '../../stores/ui.ts';

/** What a version declares it will use, and what the sandbox will therefore allow it: models, AI budget, limits. */
export function Declarations({ version, models }: { version: ReviewedVersion; models?: ModelInfo[] }): React.JSX.Element {
  const limits = lowered(useUi((s) => s.appInfo?.limits), version.manifest.limits);
  const declared = version.manifest.models;
  const notReady = models ? declared.filter((name) => !models.some((m) => m.name === name && m.approved && m.installed)) : [];
  return (
    <dl className="declarations" data-testid="declarations">
      <div className="declaration-row">
        <dt>AI models</dt>
        <dd>
          {declared.length === 0 ? 'None: it cannot call any AI model' : (
            <span className="chips">{declared.map((model) => <span key={model} className="chip model">{model}</span>)}</span>
          )}
          {notReady.length > 0 && <div className="hint">Not approved or not installed here: {notReady.join(', ')}. Its calls to them are refused until you approve and pull them in Models.</div>}
        </dd>
      </div>
      <div className="declaration-row">
        <dt>AI budget</dt>
        <dd>{limits ? `up to ${limits.aiCalls} calls and ${limits.aiTokens.toLocaleString()} tokens per run` : '…'}</dd>
      </div>
      {limits && describeLimits(limits).map(([label, value]) => (
        <div key={label} className="declaration-row"><dt>{label}</dt><dd>{value}</dd></div>
      ))}
    </dl>
  );
}
