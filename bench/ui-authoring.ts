import { join } from 'node:path';
import { openBrowser } from '../e2e/helpers/browser.ts';
import { serveApp, type ServedApp } from '../e2e/helpers/serve.ts';
import { BuilderPage } from '../e2e/pages/builder.ts';
import { msFromClickUntil } from './page-timing.ts';
import { TESTED_PLUGIN, writeTestedPlugin } from './tests-fixture.ts';

// Issue #12's authoring figures, in real Chromium against `wasmforge serve`: a newcomer's first
// plugin from a starter, and the Builder's Tests panel running a plugin's replayed cases.

/**
 * A data folder never used and a fresh browser: from navigation (Home opens) through picking a
 * starter, naming the plugin as one's own, giving it an input and running it, until its output shows.
 */
export async function firstPluginFromTemplate(): Promise<number> {
  const app = await serveApp();
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const builder = new BuilderPage(page);
    const started = performance.now();
    await page.goto(app.signInUrl);
    await page.getByRole('button', { name: /^New plugin from the Simple template/ }).click();
    await builder.editorReady();
    await builder.setName('my-first-plugin');
    await builder.setInput('WebAssembly keeps plugins in a sandbox.');
    await builder.run();
    await page.locator('.run-status.tone-ok').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="output"]:not(:empty)').waitFor();
    return performance.now() - started;
  } finally {
    await browser.close();
    await app.stop();
  }
}

/**
 * Runs in the page: click "Run all", resolve once the summary has gone (the click cleared the last
 * one) and come back saying every case passed.
 */
const runAllUntilPassed = (cases: number): string => msFromClickUntil('[data-testid="run-all-tests"]', `(() => {
    const summary = document.querySelector('[data-testid="tests-summary"]');
    if (!summary) cleared = true;
    return cleared && summary !== null && summary.textContent.startsWith('${cases} passed, 0 failed');
  })()`, 'let cleared = false;');

/** The Tests panel of a saved plugin with `cases` replayed cases: click on Run all until all show passed, the first time and `times` more. */
export async function testsPanelRunAll(app: ServedApp, cases: number, times: number, pauseMs: number): Promise<{ first: number; again: number[] }> {
  await writeTestedPlugin(join(app.home, 'workspace', TESTED_PLUGIN), cases);
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const builder = new BuilderPage(page);
    await builder.open(app.signInUrl);
    await builder.openPlugin(TESTED_PLUGIN);
    const rows = page.getByTestId('test-case');
    await rows.nth(cases - 1).waitFor();
    const latencies: number[] = [];
    for (let i = 0; i <= times; i++) {
      latencies.push(await page.evaluate<number>(runAllUntilPassed(cases)));
      await page.waitForTimeout(pauseMs);
    }
    return { first: latencies[0]!, again: latencies.slice(1) };
  } finally {
    await browser.close();
  }
}
