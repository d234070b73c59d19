import { useState } from 'react';
import type { MarketStatus } from '../../../../shared/api/schemas/marketplace.ts';
import type { SettingsView } from '../../../../shared/api/schemas/settings.ts';
import { api } from '../../api/client.ts';
import { ErrorBanner } from '../../components/States.tsx';
import type { SaveSettings } from './SettingsScreen.tsx';
import { useUnsavedEdits } from '../../unsaved-edits.ts';
import { useSave } from './use-save.ts';
import { TextWithCode } from '../../components/TextWithCode.tsx';
import { maskUrl } from '../../../../shared/url-secrets.ts';

/** The shared marketplace's database (or none: the local, single-user one), with a test before saving. */
export function MarketplaceSettings({ settings, save }: { settings: SettingsView; save: SaveSettings }): React.JSX.Element {
  const [url, setUrl] = useState(settings.marketplace.databaseUrl ?? '');
  const [result, setResult] = useState<MarketStatus>();
  // What the user typed is kept whole in `url`; only outside the field is its password shown as the
  // stored ones are (SECRET_MASK), so a pasted password is not left on screen until Save.
  const [editing, setEditing] = useState(false);
  const dirty = url !== (settings.marketplace.databaseUrl ?? '');
  useUnsavedEdits('Marketplace', dirty);
  const testing = useSave();
  const saving = useSave();
  const test = (databaseUrl = url): Promise<boolean> => testing.run(async () => setResult(await api().call('settings.testDatabase', { databaseUrl })));
  // The URL `db add-author` printed, pasted whole: it replaces what was there and is tested at once.
  const onPaste = (event: React.ClipboardEvent<HTMLInputElement>): void => {
    const pasted = event.clipboardData.getData('text').trim();
    if (!/^postgres(ql)?:\/\/\S+$/.test(pasted)) return;
    event.preventDefault();
    setUrl(pasted);
    setResult(undefined);
    void test(pasted);
  };
  // The connection badges follow a saved URL by themselves (stores/connections.ts).
  const submit = (): Promise<boolean> => saving.run(async () => {
    const typed = url.trim();
    // The form shows the URL as the settings read it back (its password masked): nothing left unsaved.
    setUrl((await save({ marketplace: { databaseUrl: typed } })).marketplace.databaseUrl ?? '');
    // A saved URL is tested at once, as a pasted one is: its verdict shows here, not only in the header's badge.
    if (typed) void test(typed);
  });
  return (
    <section className="settings-section" aria-labelledby="market-title">
      <h2 id="market-title">Marketplace</h2>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label className="field"><span>Database URL</span>
          <input value={editing ? url : maskUrl(url)} onFocus={() => setEditing(true)} onBlur={() => setEditing(false)}
            onChange={(e) => { setUrl(e.target.value); setResult(undefined); }} onPaste={onPaste} placeholder="postgres://you:password@db.example.com:5432/wasmforge (empty: local marketplace)"
            spellCheck={false} autoComplete="off" aria-describedby="market-url-help" />
        </label>
        <small id="market-url-help">Your administrator creates your account with <code>wasmforge db add-author</code> and sends you this URL: paste it here (or type it and Save) and it is tested at once. It is kept in settings.json in your data folder.</small>
        <div className="toolbar">
          <button type="button" onClick={() => void test()} disabled={testing.busy}>{testing.busy ? 'Testing…' : 'Test connection'}</button>
          <button type="submit" className="primary" disabled={saving.busy}>Save</button>
          {saving.saved && !dirty && <span className="field-ok" role="status">Saved</span>}
          {dirty && <span className="field-warn" data-testid="unsaved-marketplace">Not saved yet</span>}
        </div>
        {result && (
          <div className={`notice tone-${result.reachable && result.schema === 'current' ? 'ok' : 'error'}`} role="status" data-testid="database-test">
            <TextWithCode text={result.summary} />{result.fix && <div className="hint"><TextWithCode text={result.fix} /></div>}
          </div>
        )}
        {testing.error && <ErrorBanner error={testing.error} />}
        {saving.error && <ErrorBanner error={saving.error} />}
      </form>
    </section>
  );
}
