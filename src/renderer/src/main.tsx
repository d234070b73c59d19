import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from '../../shared/api/api-error.ts';
import { connect, setApi, signOut } from './api/client.ts';
import { App } from './App.tsx';
import { connectShell, setShellBridge } from './desktop-shell.ts';
import { SignIn } from './SignIn.tsx';
import { forgetConnections } from './stores/connections.ts';
import { onAppEvents, watchAppEvents } from './stores/events.ts';
import { uiStore } from './stores/ui.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
document.documentElement.dataset.theme = uiStore.getState().theme;

async function start(): Promise<void> {
  // The desktop app's shell: this page's errors go to the app's log, its notices to the UI.
  if (window.wasmforge) connectShell(window.wasmforge);
  setShellBridge(window.wasmforge);
  const connection = connect();
  if (connection.kind === 'signed-out') return root.render(<SignIn />);
  setApi(connection.client);
  // One watch of the backend for the whole page: the badges and every list follow its events.
  watchAppEvents(connection.client, { onLost: forgetConnections });
  // The theme follows a change made elsewhere (another window, tab or client) too.
  onAppEvents(['settings.changed'], () => void connection.client.call('settings.get', {}).then((settings) => uiStore.getState().setTheme(settings.ui.theme, false), () => undefined));
  // The app opens at once: the badges, Home's lists and the header fill in as their answers come.
  // Waiting for app.info first cost a round trip on a busy machine's first load (issue #16).
  root.render(<StrictMode><App host={connection.kind} /></StrictMode>);
  const themeShown = uiStore.getState().theme;
  try {
    const [info, settings] = await Promise.all([connection.client.call('app.info', {}), connection.client.call('settings.get', {})]);
    uiStore.getState().setAppInfo(info);
    // A theme the user switched to meanwhile stays.
    if (uiStore.getState().theme === themeShown) uiStore.getState().setTheme(settings.ui.theme, false);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHORIZED') {
      signOut();
      root.render(<SignIn problem="The token was not accepted (the server may have restarted with a new one)." />);
    }
    // Otherwise the app stays open: each screen shows its own error state and retries.
  }
}

void start();
