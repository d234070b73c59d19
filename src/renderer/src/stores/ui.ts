import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { THEMES } from '../../../shared/api/schemas/settings.ts';
import type { AppInfo } from '../../../shared/api/schemas/system.ts';
import { api } from '../api/client.ts';
import { confirmLeavingUnsaved } from '../unsaved-edits.ts';

export const SCREENS = ['home', 'builder', 'runner', 'marketplace', 'models', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];
/** The contract's themes (the settings store one); a type-only import keeps zod out of the first bundle. */
export type Theme = (typeof THEMES)[number];

interface UiState {
  screen: Screen;
  theme: Theme;
  shortcutsOpen: boolean;
  appInfo?: AppInfo;
  setScreen(screen: Screen): void;
  setTheme(theme: Theme, remember?: boolean): void;
  setShortcutsOpen(open: boolean): void;
  setAppInfo(info: AppInfo): void;
}

const THEME_KEY = 'wasmforge.theme';

/** `#/marketplace` (a token may follow: `#/builder&token=…`); anything else is Home. */
export function screenFromHash(hash: string): Screen {
  const name = /^#\/([a-z]+)/.exec(hash)?.[1];
  return SCREENS.find((screen) => screen === name) ?? 'home';
}

function initialTheme(): Theme {
  return localStorage.getItem(THEME_KEY) === 'light' ? 'light' : 'dark';
}

/** UI-only state: which screen, which theme, which overlay. Data lives behind the API. */
export const uiStore = createStore<UiState>((set, get) => ({
  screen: screenFromHash(window.location.hash),
  theme: initialTheme(),
  shortcutsOpen: false,
  setScreen: (screen) => {
    // Unsaved Settings edits: the user decides; staying puts the address back on this screen.
    if (screen !== get().screen && !confirmLeavingUnsaved()) {
      history.replaceState(null, '', `#/${get().screen}`);
      return;
    }
    // A link into the screen (`#/marketplace/name@1.0.0`) stays as it is.
    if (screenFromHash(window.location.hash) !== screen) history.replaceState(null, '', `#/${screen}`);
    set({ screen });
  },
  setTheme: (theme, remember = true) => {
    localStorage.setItem(THEME_KEY, theme);
    document.documentElement.dataset.theme = theme;
    set({ theme });
    if (remember) void api().call('settings.update', { ui: { theme } }).catch(() => undefined);
  },
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  setAppInfo: (appInfo) => set({ appInfo }),
}));

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(uiStore, selector);
}
