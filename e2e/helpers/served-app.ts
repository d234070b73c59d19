import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createHttpClient } from '../../src/shared/api/http-client.ts';
import type { ApiClient } from '../../src/shared/api/types.ts';
import { openBrowser, type BrowserSession } from './browser.ts';
import { serveApp, type ServeOptions, type ServedApp } from './serve.ts';

export interface ServedAppFixture {
  /** The running `wasmforge serve` (its URL, token, data folder, fake Ollama). */
  readonly app: ServedApp;
  /** The app's API over HTTP with the server's token: what a second client, or a test's setup, calls. */
  readonly api: ApiClient;
  /** The Chromium signed in to the app (only with a `browser` option). */
  readonly browser: BrowserSession;
  readonly page: Page;
}

export interface ServedAppOptions {
  /** How `wasmforge serve` starts (the whole file shares one server). */
  serve?: ServeOptions | (() => Promise<ServeOptions>);
  /** Runs once the server is up, before any browser opens: data every test of the file sees. */
  seed?(api: ApiClient, app: ServedApp): Promise<void>;
  /** A fresh Chromium for each test (`each`, no test sees another's storage), one for the whole file, or none. */
  browser?: 'each' | 'file' | 'none';
  /** Where the browser signs in; by default the sign-in URL `wasmforge serve` printed (Home). */
  signIn?(page: Page, app: ServedApp): Promise<void>;
}

/**
 * The setup nearly every browser test repeats: the real `wasmforge serve` on a random port with its own
 * data folder (one per file), a fresh Chromium signed in with the printed token (per test, or per file),
 * and everything stopped afterwards. Call it in a `describe`; read the fields from hooks and tests.
 */
export function useServedApp(options: ServedAppOptions = {}): ServedAppFixture {
  let app: ServedApp | undefined;
  let api: ApiClient | undefined;
  let browser: BrowserSession | undefined;
  const mode = options.browser ?? 'each';
  const openSignedIn = async (): Promise<void> => {
    browser = await openBrowser();
    await (options.signIn ?? ((page, served) => page.goto(served.signInUrl).then(() => undefined)))(browser.page, ready(app, 'app'));
  };
  const closeBrowser = async (): Promise<void> => {
    await browser?.close();
    browser = undefined;
  };

  beforeAll(async () => {
    app = await serveApp(typeof options.serve === 'function' ? await options.serve() : options.serve);
    api = createHttpClient({ baseUrl: app.url, token: app.token });
    await options.seed?.(api, app);
    if (mode === 'file') await openSignedIn();
  });
  afterAll(async () => {
    await closeBrowser();
    await app?.stop();
  });
  if (mode === 'each') {
    beforeEach(openSignedIn);
    afterEach(closeBrowser);
  }

  return {
    get app() { return ready(app, 'app'); },
    get api() { return ready(api, 'api'); },
    get browser() { return ready(browser, 'browser'); },
    get page() { return ready(browser, 'browser').page; },
  };
}

/** A field read before its hook ran (or with no browser asked for) is a mistake in the test, said plainly. */
function ready<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`useServedApp: no ${name} yet (read it inside a hook or test, and ask for a browser to get one)`);
  return value;
}
