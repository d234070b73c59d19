import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openBrowser } from '../e2e/helpers/browser.ts';
import { typeIntoMonaco } from '../e2e/helpers/monaco.ts';
import { REPO, type ServedApp } from '../e2e/helpers/serve.ts';
import { BuilderPage } from '../e2e/pages/builder.ts';

// Issue #13's Ruff figures, in real Chromium against `wasmforge serve`: what Ruff adds to the
// download (only once the editor is up, in its own worker) and how soon its markers follow typing.

const RUFF_MARKER = '.monaco-editor .squiggly-error';

/** Ruff's worker script and its .wasm as built into out/renderer, gzipped: none of it is in the first screen's JS. */
export async function ruffAssetsGzipBytes(): Promise<number> {
  const assets = join(REPO, 'out', 'renderer', 'assets');
  const files = (await readdir(assets)).filter((name) => /^ruff[._]/.test(name));
  if (files.length < 2) throw new Error(`Ruff's worker and .wasm are not in ${assets}: build the renderer first`);
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(join(assets, file))).length;
  return total;
}

/**
 * Keystroke to Ruff's marker on screen: `print(x)` becomes `print(xy)` (F821, an undefined name; no
 * syntax error, so the sandbox's check marks nothing) and back. The first time in a fresh browser
 * includes starting the worker and compiling Ruff's .wasm; every time includes the 300 ms pause
 * lint waits for after typing. Timed from the test side (Playwright's waits: a few ms of slack).
 */
export async function typingToRuffMarker(app: ServedApp, times: number, pauseMs: number): Promise<{ first: number; again: number[] }> {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await new BuilderPage(page).open(app.signInUrl);
    // The language server would underline `xy` too, often first: told not to, the squiggle is Ruff's.
    await typeIntoMonaco(page, '# pyright: reportUndefinedVariable=false\nx = 1\nprint(x)');
    await page.keyboard.press('ArrowLeft');
    const latencies: number[] = [];
    for (let i = 0; i <= times; i++) {
      const started = performance.now();
      await page.keyboard.press('y');
      await page.locator(RUFF_MARKER).first().waitFor();
      latencies.push(performance.now() - started);
      await page.keyboard.press('Backspace');
      await page.locator(RUFF_MARKER).first().waitFor({ state: 'detached' });
      await page.waitForTimeout(pauseMs);
    }
    return { first: latencies[0]!, again: latencies.slice(1) };
  } finally {
    await browser.close();
  }
}
