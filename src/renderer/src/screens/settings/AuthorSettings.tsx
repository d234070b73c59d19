import { useRef, useState } from 'react';
import type { SettingsView } from '../../../../shared/api/schemas/settings.ts';
import { ApiError } from '../../../../shared/api/api-error.ts';
import { api } from '../../api/client.ts';
import { ErrorBanner, Loading } from '../../components/States.tsx';
import { useData } from '../../use-data.ts';
import type { SaveSettings } from './SettingsScreen.tsx';
import { useUnsavedEdits } from '../../unsaved-edits.ts';
import { useSave } from './use-save.ts';

/** Who publishes from here: a display name and the signing key (its fingerprint; export and import to move it). */
export function AuthorSettings({ settings, save }: { settings: SettingsView; save: SaveSettings }): React.JSX.Element {
  const identity = useData(() => api().call('author.identity', {}), [], { refreshOn: ['settings.changed'] });
  const [name, setName] = useState(settings.author.displayName);
  const saving = useSave();
  const dirty = name !== settings.author.displayName;
  useUnsavedEdits('Author identity', dirty);
  const keys = useSave();
  const [keyNotice, setKeyNotice] = useState<string>();
  const file = useRef<HTMLInputElement>(null);

  const exportKey = (): Promise<boolean> => keys.run(async () => {
    if (!window.confirm('This saves your private signing key to a file. Anyone with it can publish as you. Continue?')) return;
    const { pem } = await api().call('author.exportKey', {});
    download('wasmforge-author-key.pem', pem);
    setKeyNotice('Key exported. Keep the file safe, and import it on your other machine.');
  });
  const importKey = (pem: string): Promise<boolean> => keys.run(async () => {
    try {
      await api().call('author.importKey', { pem });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'ALREADY_EXISTS')) throw error;
      if (!window.confirm('This data folder has a different key. Replace it? (The current one is kept as a backup file.)')) return;
      await api().call('author.importKey', { pem, replace: true });
    }
    identity.reload();
    setKeyNotice('Key imported: you now publish as its owner.');
  });

  return (
    <section className="settings-section" aria-labelledby="author-title">
      <h2 id="author-title">Author identity</h2>
      <form onSubmit={(e) => { e.preventDefault(); void saving.run(async () => setName((await save({ author: { displayName: name.trim() } })).author.displayName)); }}>
        <label className="field"><span>Display name</span><input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} /></label>
        <div className="toolbar">
          <button type="submit" className="primary" disabled={saving.busy}>Save</button>
          {saving.saved && !dirty && <span className="field-ok" role="status">Saved</span>}
          {dirty && <span className="field-warn" data-testid="unsaved-author">Not saved yet</span>}
        </div>
        {saving.error && <ErrorBanner error={saving.error} />}
      </form>
      {identity.error && <ErrorBanner error={identity.error} onRetry={identity.reload} />}
      {!identity.data && !identity.error ? <Loading label="Reading your key…" /> : identity.data && (
        <p>Signing key fingerprint: <code data-testid="key-fingerprint">{identity.data.fingerprint}</code></p>
      )}
      <div className="toolbar">
        <button type="button" onClick={() => void exportKey()} disabled={keys.busy}>Export key…</button>
        <button type="button" onClick={() => file.current?.click()} disabled={keys.busy}>Import key…</button>
        <input ref={file} type="file" accept=".pem,text/plain" hidden aria-label="Key file to import"
          onChange={(e) => { const chosen = e.target.files?.[0]; e.target.value = ''; if (chosen) void chosen.text().then(importKey); }} />
      </div>
      {keyNotice && <div className="notice tone-ok" role="status">{keyNotice}</div>}
      {keys.error && <ErrorBanner error={keys.error} />}
    </section>
  );
}

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-pem-file' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
