import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CDPSession, Page } from 'playwright-core';
import { openBrowser } from '../e2e/helpers/browser.ts';
import { typeIntoMonaco } from '../e2e/helpers/monaco.ts';
import { REPO, type ServedApp } from '../e2e/helpers/serve.ts';
import { BuilderPage } from '../e2e/pages/builder.ts';

// Issue #13's language server figures, in real Chromium against `wasmforge serve`: what the
// basedpyright worker adds to the download (after Monaco), how soon completions and type errors
// follow a keystroke, and the JavaScript heap its workers hold.

const TYPE_ERROR = '.monaco-editor .squiggly-error';
/**
 * Page-side checks: a row naming `dumps` on screen (checkVisibility: the widget is shown as soon
 * as it has results; its `visible` class comes 100 ms later, for Monaco's own reasons); an error squiggle.
 */
const DUMPS_SHOWN = `[...document.querySelectorAll('.suggest-widget .monaco-list-row')].some((row) => row.textContent.includes('dumps') && row.checkVisibility({ visibilityProperty: true }))`;
const TYPE_ERROR_SHOWN = `document.querySelector('${TYPE_ERROR}') !== null`;
/** The first answer waits for the worker to load (17 MB of script, typeshed inside) and analyse. */
const COLD_MS = 90_000;

/** The language server's worker script as built into out/renderer, gzipped. */
export async function pyrightWorkerGzipBytes(): Promise<number> {
  const assets = join(REPO, 'out', 'renderer', 'assets');
  const files = (await readdir(assets)).filter((name) => /^pyright\.worker-.*\.js$/.test(name));
  if (files.length !== 1) throw new Error(`the language server's worker is not in ${assets}: build the renderer first`);
  return gzipSync(await readFile(join(assets, files[0]!))).length;
}

export interface LanguageServerTimes {
  /** Keystroke ('.' after `json`) to `dumps` in the suggest list, the first time (cold server). */
  completionFirst: number;
  completions: number[];
  /** Keystroke to the checker's error on screen (`a: int = 1` → `1.`, a float: only the type checker objects). */
  diagnostics: number[];
  /** Bytes of JS heap used by the server's workers (foreground and background), after the runs. */
  heapBytes: number;
}

export async function languageServerTimes(app: ServedApp, times: number, pauseMs: number): Promise<LanguageServerTimes> {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const heap = await workerHeapProbe(page);
    await new BuilderPage(page).open(app.signInUrl);
    await typeIntoMonaco(page, 'import json\na: int = 1\njson');
    const completionFirst = await keystrokeUntil(page, '.', DUMPS_SHOWN, COLD_MS);
    const completions: number[] = [];
    for (let i = 0; i < times; i++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Backspace');
      await page.waitForTimeout(pauseMs);
      completions.push(await keystrokeUntil(page, '.', DUMPS_SHOWN));
    }
    // `json.` left as it is would be a syntax error on screen for the rest of the runs.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Backspace');
    await page.locator(TYPE_ERROR).first().waitFor({ state: 'detached' });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    const diagnostics: number[] = [];
    for (let i = 0; i < times; i++) {
      diagnostics.push(await keystrokeUntil(page, '.', TYPE_ERROR_SHOWN));
      await page.keyboard.press('Backspace');
      await page.locator(TYPE_ERROR).first().waitFor({ state: 'detached' });
      await page.waitForTimeout(pauseMs);
    }
    return { completionFirst, completions, diagnostics, heapBytes: await heap() };
  } finally {
    await browser.close();
  }
}

/**
 * Milliseconds from a key press until `shown` (a page-side expression) holds, timed in the page: from the keydown
 * event (capture phase, before Monaco sees it) to the DOM change that shows it (a MutationObserver),
 * so Playwright's polling adds nothing. Page code as a string: tsx's helpers do not exist there.
 */
async function keystrokeUntil(page: Page, key: string, shown: string, timeout = 10_000): Promise<number> {
  // Stored, not returned: evaluate would wait for it before the key is pressed.
  await page.evaluate(`void (window.__keystroke = new Promise((resolve, reject) => {
    let started;
    const shown = () => ${shown};
    const observer = new MutationObserver(() => {
      if (started === undefined || !shown()) return;
      observer.disconnect();
      resolve(performance.now() - started);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    document.addEventListener('keydown', () => { started = performance.now(); }, { capture: true, once: true });
    setTimeout(() => { observer.disconnect(); reject(new Error('not in time: ' + ${JSON.stringify(shown)})); }, ${timeout});
  }))`);
  await page.keyboard.press(key);
  return page.evaluate<number>('window.__keystroke');
}

/**
 * The JS heap of the page's pyright workers, through the DevTools protocol: the page's session
 * attaches to its workers (not flattened, so Playwright's own sessions are untouched) and asks each
 * for Runtime.getHeapUsage.
 */
async function workerHeapProbe(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  const workers = new Map<string, string>();
  cdp.on('Target.attachedToTarget', (event: { sessionId: string; targetInfo: { type: string; title: string; targetId: string } }) => {
    if (event.targetInfo.type === 'worker') workers.set(event.sessionId, event.targetInfo.title);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  return async () => {
    let total = 0;
    for (const [sessionId, title] of workers) {
      if (!title.startsWith('pyright')) continue;
      total += await heapUsed(cdp, sessionId);
    }
    return total;
  };
}

async function heapUsed(cdp: CDPSession, sessionId: string): Promise<number> {
  const id = Math.floor(Math.random() * 1e9);
  const answer = new Promise<number>((resolve) => {
    const listener = (event: { sessionId: string; message: string }): void => {
      const reply = JSON.parse(event.message) as { id?: number; result?: { usedSize: number } };
      if (event.sessionId !== sessionId || reply.id !== id) return;
      cdp.off('Target.receivedMessageFromTarget', listener);
      resolve(reply.result?.usedSize ?? 0);
    };
    cdp.on('Target.receivedMessageFromTarget', listener);
  });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
  return answer;
}
