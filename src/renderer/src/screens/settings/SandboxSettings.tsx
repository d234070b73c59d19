import { useState } from 'react';
import type { SettingsView } from '../../../../shared/api/schemas/settings.ts';
import { api } from '../../api/client.ts';
import { ErrorBanner, Loading } from '../../components/States.tsx';
import { useUi } from '../../stores/ui.ts';
import { useData } from '../../use-data.ts';
import type { SaveSettings } from './SettingsScreen.tsx';
import { useUnsavedEdits } from '../../unsaved-edits.ts';
import { useSave } from './use-save.ts';
import { AotProgress } from './AotProgress.tsx';
import { Field } from '../../components/Field.tsx';
import { LIMIT_FIELDS, limitFieldProblem, storedLimit } from './limit-fields.ts';

type Engine = SettingsView['sandbox']['engine'];
const ENGINES: Array<[Engine, string]> = [['embedded', 'Embedded (built in)'], ['wasmedge', 'WasmEdge']];

/** Which engine runs plugins (WasmEdge when it is installed), and the limits every run gets. */
export function SandboxSettings({ settings, save }: { settings: SettingsView; save: SaveSettings }): React.JSX.Element {
  const engines = useData(() => api().call('engines.status', {}));
  const effective = useUi((s) => s.appInfo?.limits);
  const [engine, setEngine] = useState<Engine>(settings.sandbox.engine);
  const [limits, setLimits] = useState<Record<string, string>>(() => shownLimits(settings));
  const saving = useSave();
  const stored = shownLimits(settings);
  const dirty = engine !== settings.sandbox.engine || LIMIT_FIELDS.some(({ key }) => limits[key]!.trim() !== stored[key]);
  useUnsavedEdits('Sandbox', dirty);
  // Checked here, in the form's units, before anything is sent: the API's refusal names stored bytes and milliseconds.
  const problems = Object.fromEntries(LIMIT_FIELDS.map((field) => [field.key, limitFieldProblem(field, limits[field.key]!)]));
  const bad = Object.values(problems).some((problem) => problem !== undefined);
  const submit = (): Promise<boolean> => saving.run(async () => {
    const next = await save({
      sandbox: {
        engine,
        limits: Object.fromEntries(LIMIT_FIELDS.filter(({ key }) => limits[key]!.trim() !== '').map((field) => [field.key, storedLimit(field, limits[field.key]!)])),
      },
    });
    setLimits(shownLimits(next)); // as stored (rounded): nothing left unsaved
  });
  return (
    <section className="settings-section" aria-labelledby="sandbox-title">
      <h2 id="sandbox-title">Sandbox</h2>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <fieldset>
          <legend>Engine</legend>
          {!engines.data && !engines.error && <Loading label="Looking for engines…" />}
          {engines.error && <ErrorBanner error={engines.error} onRetry={engines.reload} />}
          {ENGINES.map(([id, label]) => {
            const status = engines.data?.[id];
            const detail = !status ? '' : status.available ? [status.version && `version ${status.version}`, status.detail].filter(Boolean).join(' · ') : `not available: ${status.reason}`;
            return (
              <label key={id} className="check engine-choice" data-testid={`engine-${id}`}>
                <input type="radio" name="engine" value={id} checked={engine === id} disabled={status?.available === false && engine !== id} onChange={() => setEngine(id)} />
                {label} <small>{detail}</small>
                {status?.available && status.aot && <AotProgress aot={status.aot} reload={engines.reload} />}
              </label>
            );
          })}
        </fieldset>
        <fieldset>
          <legend>Limits for every run <small>(empty: the default; a plugin&apos;s manifest can only lower them)</small></legend>
          <div className="limit-grid">
            {LIMIT_FIELDS.map(({ key, label, scale }) => (
              <Field key={key} label={label} error={problems[key]}>
                <input inputMode="decimal" value={limits[key]} placeholder={effective ? String(effective[key] / scale) : ''}
                  onChange={(e) => setLimits({ ...limits, [key]: e.target.value })} />
              </Field>
            ))}
          </div>
        </fieldset>
        <div className="toolbar">
          <button type="submit" className="primary" disabled={saving.busy || bad}>Save</button>
          {saving.saved && !dirty && <span className="field-ok" role="status">Saved; the next run uses them.</span>}
          {dirty && <span className="field-warn" data-testid="unsaved-sandbox">Not saved yet</span>}
        </div>
        {saving.error && <ErrorBanner error={saving.error} />}
      </form>
    </section>
  );
}

/** The stored limits in the form's units (empty: the default). */
function shownLimits(settings: SettingsView): Record<string, string> {
  return Object.fromEntries(LIMIT_FIELDS.map(({ key, scale }) => {
    const value = settings.sandbox.limits[key];
    return [key, value === undefined ? '' : String(value / scale)];
  }));
}
