import { useState } from 'react';
import type { SettingsView } from '../../../../shared/api/schemas/settings.ts';
import type { ModelHealth } from '../../../../shared/api/schemas/system.ts';
import { api } from '../../api/client.ts';
import { ErrorBanner } from '../../components/States.tsx';
import type { SaveSettings } from './SettingsScreen.tsx';
import { useUnsavedEdits } from '../../unsaved-edits.ts';
import { useSave } from './use-save.ts';
import { useConnections } from '../../stores/connections.ts';
import { Field } from '../../components/Field.tsx';
import { ollamaHostProblem } from '../../../../shared/ollama-host.ts';
import { TextWithCode } from '../../components/TextWithCode.tsx';

type HeaderRow = { name: string; value: string };

/** Where Ollama is (local or remote), and the headers a proxy in front of it needs. */
export function OllamaSettings({ settings, save }: { settings: SettingsView; save: SaveSettings }): React.JSX.Element {
  const [host, setHost] = useState(settings.ollama.host ?? '');
  const [headers, setHeaders] = useState<HeaderRow[]>(Object.entries(settings.ollama.headers).map(([name, value]) => ({ name, value })));
  const [health, setHealth] = useState<ModelHealth>();
  // With no host saved, the field says which Ollama the app talks to (OLLAMA_HOST or the default).
  const inUse = useConnections((s) => s.ollama?.host);
  const saving = useSave();
  const savedHeaders = Object.entries(settings.ollama.headers).map(([name, value]) => ({ name, value }));
  const dirty = host !== (settings.ollama.host ?? '') || JSON.stringify(headers) !== JSON.stringify(savedHeaders);
  useUnsavedEdits('Ollama', dirty);
  // The rule settings.update holds the host to, checked as it is typed: said beside the field, nothing sent.
  const hostProblem = ollamaHostProblem(host);
  const badHeader = headers.some((h) => h.name.trim() && !/^[A-Za-z0-9-]+$/.test(h.name.trim()));
  const submit = (): Promise<boolean> => saving.run(async () => {
    const next = await save({ ollama: { host: host.trim(), headers: Object.fromEntries(headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value])) } });
    // The form now shows what was saved, as the settings read it back (secrets masked): nothing left unsaved.
    setHost(next.ollama.host ?? '');
    setHeaders(Object.entries(next.ollama.headers).map(([name, value]) => ({ name, value })));
    setHealth(await api().call('models.health', {}));
  });
  return (
    <section className="settings-section" aria-labelledby="ollama-title">
      <h2 id="ollama-title">Ollama</h2>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Field label="Host" error={hostProblem}>
          <input value={host} onChange={(e) => setHost(e.target.value)} spellCheck={false}
            placeholder={inUse ? `In use: ${inUse} (OLLAMA_HOST or the default)` : 'http://127.0.0.1:11434 (or OLLAMA_HOST)'} />
        </Field>
        <fieldset>
          <legend>Headers <small>(for a proxy in front of a remote Ollama, e.g. Authorization)</small></legend>
          {headers.map((header, index) => (
            <div className="row" key={index}>
              <input aria-label={`Header ${index + 1} name`} placeholder="Authorization" value={header.name} onChange={(e) => setHeaders(headers.map((h, i) => (i === index ? { ...h, name: e.target.value } : h)))} />
              <input aria-label={`Header ${index + 1} value`} placeholder="Bearer …" type="password" autoComplete="off" value={header.value} onChange={(e) => setHeaders(headers.map((h, i) => (i === index ? { ...h, value: e.target.value } : h)))} />
              <button type="button" aria-label={`Remove header ${index + 1}`} onClick={() => setHeaders(headers.filter((_, i) => i !== index))}>✕</button>
            </div>
          ))}
          <button type="button" onClick={() => setHeaders([...headers, { name: '', value: '' }])}>Add header</button>
          {badHeader && <small className="field-error">Header names are letters, digits and dashes.</small>}
        </fieldset>
        <div className="toolbar">
          <button type="submit" className="primary" disabled={saving.busy || badHeader || hostProblem !== undefined}>Save and check</button>
          {dirty && <span className="field-warn" data-testid="unsaved-ollama">Not saved yet</span>}
          {health && <span role="status" className={health.reachable ? 'field-ok' : 'field-error'} data-testid="ollama-check">
            {health.reachable ? `Connected: Ollama ${health.version} at ${health.host}` : <>Not reachable: <TextWithCode text={health.reason ?? 'no answer'} /></>}
          </span>}
        </div>
        {saving.error && <ErrorBanner error={saving.error} />}
      </form>
    </section>
  );
}
