import type { LimitsView } from '../../../../shared/api/schemas/limits.ts';
import type { ReviewedVersion } from '../../../../shared/api/schemas/marketplace.ts';
import type { ModelInfo } from '../../../../shared/api/schemas/system.ts';
import { describeDeclared, describeLimits, lowered } from '../../limits.ts';
import { useConnections } from '../../stores/connections.ts';

interface DeclarationsProps {
  version: ReviewedVersion;
  /** This app's limits (app.info): the viewer's own settings, never shown as the plugin's. */
  appLimits?: LimitsView;
  models?: ModelInfo[];
}

/**
 * What a version declares (its manifest: the models it calls, the limits it lowers), then what
 * each of its runs gets here: this app's limits, lowered by those declarations.
 */
export function Declarations({ version, appLimits, models }: DeclarationsProps): React.JSX.Element {
  const declared = describeDeclared(version.manifest.limits);
  const limits = lowered(appLimits, version.manifest.limits);
  return (
    <div data-testid="declarations">
      <dl className="declarations" data-testid="declared">
        <ModelsRow declared={version.manifest.models} models={models} />
        <div className="declaration-row">
          <dt>Limits</dt>
          <dd>
            {declared.length === 0 ? 'None of its own: it runs with your limits' : (
              <span className="chips">{declared.map(([label, value]) => <span key={label} className="chip">{label}: {value}</span>)}</span>
            )}
          </dd>
        </div>
      </dl>
      <h4>Each run here gets <small>(your limits, lowered by what it declares)</small></h4>
      <dl className="declarations" data-testid="applied">
        <div className="declaration-row">
          <dt>AI budget</dt>
          <dd>{limits ? `up to ${limits.aiCalls} calls and ${limits.aiTokens.toLocaleString()} tokens per run` : '…'}</dd>
        </div>
        {limits && describeLimits(limits).map(([label, value]) => (
          <div key={label} className="declaration-row"><dt>{label}</dt><dd>{value}</dd></div>
        ))}
      </dl>
    </div>
  );
}

function ModelsRow({ declared, models }: { declared: string[]; models?: ModelInfo[] }): React.JSX.Element {
  // With Ollama not running, "installed" is not known (models.list says false): only the approvals are (new-user trial).
  const ollamaDown = useConnections((s) => s.ollama?.reachable === false);
  const approved = (name: string) => models?.some((m) => m.name === name && m.approved) ?? true;
  const ready = (name: string) => models?.some((m) => m.name === name && m.approved && m.installed) ?? true;
  const notReady = ollamaDown ? declared.filter((name) => !approved(name)) : declared.filter((name) => !ready(name));
  return (
    <div className="declaration-row">
      <dt>AI models</dt>
      <dd>
        {declared.length === 0 ? 'None: it cannot call any AI model' : (
          <span className="chips">{declared.map((model) => <span key={model} className="chip model">{model}</span>)}</span>
        )}
        {notReady.length > 0 && (ollamaDown
          ? <div className="hint">Not approved here: {notReady.join(', ')}. Its calls to them are refused until you approve them in Models.</div>
          : <div className="hint">Not approved or not installed here: {notReady.join(', ')}. Its calls to them are refused until you approve and pull them in Models.</div>)}
        {ollamaDown && declared.length > 0 && <div className="hint">Ollama is not running, so whether {declared.length === 1 ? 'this model is' : 'these models are'} installed is not known.</div>}
      </dd>
    </div>
  );
}
