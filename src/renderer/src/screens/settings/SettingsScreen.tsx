import type { SettingsPatch, SettingsView } from '../../../../shared/api/schemas/settings.ts';
import { api } from '../../api/client.ts';
import { ErrorBanner, Loading } from '../../components/States.tsx';
import { uiStore, useUi } from '../../stores/ui.ts';
import { useRef } from 'react';
import { isUnsaved } from '../../unsaved-edits.ts';
import { useData } from '../../use-data.ts';
import { AuthorSettings } from './AuthorSettings.tsx';
import { LogsSettings } from './LogsSettings.tsx';
import { MarketplaceSettings } from './MarketplaceSettings.tsx';
import { OllamaSettings } from './OllamaSettings.tsx';
import { SandboxSettings } from './SandboxSettings.tsx';

export type SaveSettings = (patch: SettingsPatch) => Promise<SettingsView>;

/** Everything a user sets: where Ollama and the marketplace are, the engine and limits, the theme, who they publish as. */
export function SettingsScreen(): React.JSX.Element {
  // Read again whenever they change, here or anywhere else (another window, tab or client).
  const settings = useData(() => api().call('settings.get', {}), [], { refreshOn: ['settings.changed'] });
  const { sectionKey, savedHere } = useSectionKeys(settings.data);
  const theme = useUi((s) => s.theme);
  const save: SaveSettings = async (patch) => {
    const next = await api().call('settings.update', patch);
    savedHere(next);
    // The limits a run gets (and the meter shows) come from app.info.
    uiStore.getState().setAppInfo(await api().call('app.info', {}));
    return next;
  };
  if (settings.error && !settings.data) return <ErrorBanner error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Loading label="Loading the settings…" />;
  return (
    <main className="settings-screen" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <section className="settings-section" aria-labelledby="theme-title">
        <h2 id="theme-title">Theme</h2>
        <div role="radiogroup" aria-labelledby="theme-title" className="toolbar">
          {(['dark', 'light'] as const).map((t) => (
            <label key={t} className="check"><input type="radio" name="theme" checked={theme === t} onChange={() => uiStore.getState().setTheme(t)} />{t === 'dark' ? 'Dark' : 'Light'}</label>
          ))}
        </div>
      </section>
      <OllamaSettings key={sectionKey('Ollama', 'ollama')} settings={settings.data} save={save} />
      <MarketplaceSettings key={sectionKey('Marketplace', 'marketplace')} settings={settings.data} save={save} />
      <SandboxSettings key={sectionKey('Sandbox', 'sandbox')} settings={settings.data} save={save} />
      <AuthorSettings key={sectionKey('Author identity', 'author')} settings={settings.data} save={save} />
      <LogsSettings />
    </main>
  );
}

/**
 * A section's form starts afresh with the saved values when they change elsewhere (another window,
 * tab or client), unless it holds edits not saved yet: those are never dropped; the form then says
 * they differ. A change this screen saved itself keeps the form as it is, so its "Saved" stays.
 */
function useSectionKeys(settings: SettingsView | undefined): {
  sectionKey: (form: string, section: keyof SettingsView) => string;
  savedHere: (next: SettingsView) => void;
} {
  const keys = useRef(new Map<string, string>());
  const ownSaves = useRef(new Map<string, string>());
  return {
    sectionKey: (form, section) => {
      const saved = JSON.stringify(settings?.[section] ?? null);
      const fresh = !keys.current.has(form) || (!isUnsaved(form) && ownSaves.current.get(section) !== saved);
      if (fresh) keys.current.set(form, saved);
      return keys.current.get(form)!;
    },
    savedHere: (next) => {
      for (const section of Object.keys(next) as Array<keyof SettingsView>) ownSaves.current.set(section, JSON.stringify(next[section]));
    },
  };
}
