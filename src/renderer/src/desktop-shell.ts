import { createStore, useStore } from 'zustand';
import type { IpcNotice, RendererError, WasmForgeBridge } from '../../shared/api/wire.ts';
import { pluginHash } from './links.ts';

/**
 * What the desktop shell (Electron's main process) does for the page besides carrying the API:
 * renderer errors go to the app's log, the logs folder opens, and a notice says when the backend
 * process was restarted. In a browser there is no shell: errors stay in the browser's console.
 */
const MAX_MESSAGE = 4000;
const MAX_STACK = 16_000;

type BackendNoticeMessage = Extract<IpcNotice, { generation: number }>;

export const backendNotice = createStore<{ notice?: BackendNoticeMessage; dismiss(): void }>((set) => ({
  notice: undefined,
  dismiss: () => set({ notice: undefined }),
}));

export function useBackendNotice(): BackendNoticeMessage | undefined {
  return useStore(backendNotice, (state) => state.notice);
}

/** Wires the page to the shell: its uncaught errors to the log, the shell's notices to the store. */
export function connectShell(bridge: WasmForgeBridge, page: Pick<Window, 'addEventListener' | 'location'> = window): void {
  page.addEventListener('error', (event) => report(bridge, 'error', (event as ErrorEvent).error ?? (event as ErrorEvent).message));
  page.addEventListener('unhandledrejection', (event) => report(bridge, 'unhandledrejection', (event as PromiseRejectionEvent).reason));
  bridge.onMessage((message) => {
    if (message.kind !== 'notice') return;
    // A wasmforge:// link: its page's address, which the app opens as any link (links.ts checks it).
    if (message.notice === 'open-plugin') page.location.hash = pluginHash(message);
    else backendNotice.setState({ notice: message });
  });
}

let shell: WasmForgeBridge | undefined;

/** The bridge, for the actions below; set once at start in the desktop app. */
export function setShellBridge(bridge: WasmForgeBridge | undefined): void {
  shell = bridge;
}

/** Whether the shell can open the logs folder (desktop), or the UI must show its path (browser). */
export function canOpenLogsFolder(): boolean {
  return shell !== undefined;
}

export function openLogsFolder(): void {
  shell?.send({ kind: 'shell', action: 'open-logs-folder' });
}

/** A screen that failed to render (ScreenBoundary) is an error worth a line in the log too. */
export function reportRenderError(error: unknown): void {
  if (shell) report(shell, 'render', error);
}

function report(bridge: WasmForgeBridge, source: RendererError['source'], error: unknown): void {
  const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_MESSAGE);
  const stack = error instanceof Error && error.stack ? error.stack.slice(0, MAX_STACK) : undefined;
  bridge.send({ kind: 'shell', action: 'report-error', error: { source, message, ...(stack ? { stack } : {}) } });
}
