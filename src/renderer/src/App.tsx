import { lazy, Suspense, useEffect } from 'react';
import { runCommand } from './commands.ts';
import { BackendNotice } from './components/BackendNotice.tsx';
import { ConnectionBadges } from './components/ConnectionBadges.tsx';
import { ScreenBoundary } from './components/ScreenBoundary.tsx';
import { ShortcutsDialog } from './components/Shortcuts.tsx';
import { Loading } from './components/States.tsx';
import { BuilderScreen } from './screens/builder/BuilderScreen.tsx';
import { HomeScreen } from './screens/home/HomeScreen.tsx';
import { marketStore, openLinkedPlugin } from './stores/market.ts';
import { screenFromHash, SCREENS, uiStore, useUi, type Screen } from './stores/ui.ts';
import './screens.css';

// Home and the Builder are the first screens people see; the others load on first visit.
const RunnerScreen = lazy(() => import('./screens/runner/RunnerScreen.tsx').then((m) => ({ default: m.RunnerScreen })));
const MarketplaceScreen = lazy(() => import('./screens/marketplace/MarketplaceScreen.tsx').then((m) => ({ default: m.MarketplaceScreen })));
const ModelsScreen = lazy(() => import('./screens/models/ModelsScreen.tsx').then((m) => ({ default: m.ModelsScreen })));
const SettingsScreen = lazy(() => import('./screens/settings/SettingsScreen.tsx').then((m) => ({ default: m.SettingsScreen })));

const LABELS: Record<Screen, string> = { home: 'Home', builder: 'Builder', runner: 'Runner', marketplace: 'Marketplace', models: 'Models', settings: 'Settings' };

export function App({ host }: { host: 'desktop' | 'browser' }): React.JSX.Element {
  const screen = useUi((s) => s.screen);
  const theme = useUi((s) => s.theme);
  const shortcutsOpen = useUi((s) => s.shortcutsOpen);
  const info = useUi((s) => s.appInfo);
  useGlobalShortcuts();

  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">WasmForge</span>
        <nav aria-label="Screens">
          {SCREENS.map((id, index) => (
            <a key={id} href={`#/${id}`} aria-current={screen === id ? 'page' : undefined} title={`${LABELS[id]} (Alt+${index + 1})`}
              onClick={(e) => { e.preventDefault(); uiStore.getState().setScreen(id); }}>{LABELS[id]}</a>
          ))}
        </nav>
        <span className="spacer" />
        {screen !== 'home' && <ConnectionBadges compact />}
        {info && <HostPill host={host} aiProvider={info.aiProvider} dataHome={info.dataHome} />}
        <button type="button" aria-label={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`} title="Theme (Ctrl/⌘+Shift+L)"
          onClick={() => uiStore.getState().setTheme(theme === 'dark' ? 'light' : 'dark')}>{theme === 'dark' ? '☀' : '☾'}</button>
        <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => uiStore.getState().setShortcutsOpen(true)}>?</button>
      </header>
      <BackendNotice />
      <div className="screen">
        <ScreenBoundary key={screen}>
          <Suspense fallback={<Loading label={`Loading ${LABELS[screen]}…`} />}>
            <ScreenView screen={screen} />
          </Suspense>
        </ScreenBoundary>
      </div>
      {shortcutsOpen && <ShortcutsDialog />}
    </div>
  );
}

/**
 * Where the app runs and which AI answers it. The provider's address ("ollama http://127.0.0.1:11434") is in
 * the tooltip, not the pill: beside the connection badges it did not fit a 1280 px header and was cut off
 * (a user's trial), and the Ollama badge's tooltip and the Models screen name it too.
 */
function HostPill({ host, aiProvider, dataHome }: { host: 'desktop' | 'browser'; aiProvider: string; dataHome: string }): React.JSX.Element {
  const [provider] = aiProvider.split(' ');
  return (
    <span className="badge host-pill" title={`AI: ${aiProvider}\nData folder: ${dataHome}`}>{host === 'desktop' ? 'desktop' : 'server'} · AI: {provider}</span>
  );
}

function ScreenView({ screen }: { screen: Screen }): React.JSX.Element {
  switch (screen) {
    case 'home': return <HomeScreen />;
    case 'builder': return <BuilderScreen />;
    case 'runner': return <RunnerScreen />;
    case 'marketplace': return <MarketplaceScreen />;
    case 'models': return <ModelsScreen />;
    case 'settings': return <SettingsScreen />;
  }
}

/**
 * Whether a key goes into text being edited. Monaco takes keys through Chromium's EditContext
 * where it has one (Chromium and Electron's Chromium do): a plain div, neither an input nor
 * contentEditable, so the editor is recognised by its own element.
 */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)
    || (target as { editContext?: unknown }).editContext != null || target.closest('.monaco-editor') !== null;
}

function onKey(event: KeyboardEvent): void {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const ui = uiStore.getState();
  const digit = event.altKey && !mod ? Number.parseInt(event.code.replace('Digit', ''), 10) : Number.NaN;
  if (mod && event.key === 'Enter' && runCommand('run')) event.preventDefault();
  else if (mod && !event.shiftKey && key === 's' && runCommand('save')) event.preventDefault();
  else if (mod && event.shiftKey && key === 'p' && runCommand('publish')) event.preventDefault();
  else if (mod && event.shiftKey && key === 'l') {
    event.preventDefault();
    ui.setTheme(ui.theme === 'dark' ? 'light' : 'dark');
  } else if (event.key === 'Escape' && !ui.shortcutsOpen && !document.querySelector('dialog[open]')) runCommand('cancel');
  else if (digit >= 1 && digit <= SCREENS.length) {
    event.preventDefault();
    ui.setScreen(SCREENS[digit - 1]!);
  } else if (event.key === '/' && !isTyping(event.target) && !mod) {
    event.preventDefault();
    // The search box, wherever the Marketplace was left (a plugin's page included): it opens focused.
    marketStore.getState().closeDetail();
    if (!runCommand('search')) ui.setScreen('marketplace');
  } else if (event.key === '?' && !isTyping(event.target) && !mod) ui.setShortcutsOpen(true);
}

function useGlobalShortcuts(): void {
  useEffect(() => {
    const onHash = (): void => {
      uiStore.getState().setScreen(screenFromHash(window.location.hash));
      openLinkedPlugin();
    };
    openLinkedPlugin();
    window.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
}
