import { checkedEvents } from '../../../shared/api/checked-events.ts';
import { createHttpClient } from '../../../shared/api/http-client.ts';
import { createIpcClient } from '../../../shared/api/ipc-client.ts';
import type { ApiClient } from '../../../shared/api/types.ts';

const TOKEN_KEY = 'wasmforge.token';

export type Connection = { kind: 'desktop'; client: ApiClient } | { kind: 'browser'; client: ApiClient } | { kind: 'signed-out' };

/**
 * In the desktop app the preload's bridge carries the API; in a browser it is HTTP to the
 * server that served the page, with the token from the URL the server printed (then kept for
 * this tab only and taken out of the address bar).
 */
export function connect(): Connection {
  // Stream events are checked on arrival against the contract, as the server checks them on leaving.
  if (window.wasmforge) return { kind: 'desktop', client: checkedEvents(createIpcClient(window.wasmforge)) };
  const token = takeTokenFromUrl() ?? sessionStorage.getItem(TOKEN_KEY);
  if (!token) return { kind: 'signed-out' };
  return { kind: 'browser', client: checkedEvents(createHttpClient({ baseUrl: '', token })) };
}

export function signIn(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

function takeTokenFromUrl(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return null;
  const token = decodeURIComponent(match[1]!);
  sessionStorage.setItem(TOKEN_KEY, token);
  // A deep link keeps its place (`#/builder&token=…`, `#/marketplace/name@1.0.0&token=…`); the sign-in URL lands on Home.
  const place = /^#(\/[^&]+)/.exec(window.location.hash)?.[1] ?? '/home';
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${place}`);
  return token;
}

let current: ApiClient | undefined;

/** The client for the rest of the UI; set once at start. */
export function setApi(client: ApiClient): void {
  current = client;
}

export function api(): ApiClient {
  if (!current) throw new Error('The API is not connected yet');
  return current;
}
