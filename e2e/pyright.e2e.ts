import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type BrowserSession } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { serveApp, type ServedApp } from './helpers/serve.ts';
import { BuilderPage } from './pages/builder.ts';

/** The language server starts with the editor: its first answers wait for its worker to load typeshed. */
const FIRST_ANSWER_MS = 60_000;

describe('The Python language server in the Builder (basedpyright in a worker, real Chromium, offline)', () => {
  let app: ServedApp;
  let browser: BrowserSession;
  let builder: BuilderPage;
  let workerComplaints: string[];

  beforeAll(async () => {
    app = await serveApp();
  });
  afterAll(() => app?.stop());
  beforeEach(async () => {
    browser = await openBrowser();
    workerComplaints = [];
    browser.page.on('worker', (worker) => worker.on('console', (message) => {
      if (message.type() === 'error') workerComplaints.push(message.text());
    }));
    // Offline: anything the page asks of another origin fails the test.
    await browser.context.route((url) => !url.href.startsWith(app.url), (route) => {
      workerComplaints.push(`fetched ${route.request().url()}`);
      return route.abort();
    });
    builder = new BuilderPage(browser.page);
    await builder.open(app.signInUrl);
  });
  afterEach(() => browser?.close());

  const hoverText = () => browser.page.locator('.monaco-hover').first().innerText().catch(() => '');
  /** The hover over a word, shown anew (a hover left open keeps what it showed first). */
  const hoverOver = async (word: string): Promise<string> => {
    await browser.page.mouse.move(0, 0);
    await browser.page.locator('.monaco-hover').first().waitFor({ state: 'hidden' }).catch(() => undefined);
    await builder.hoverWord(word);
    await browser.page.waitForTimeout(300);
    return hoverText();
  };

  it('completes the standard library (json.du → dumps) and shows its docs on hover', async () => {
    await builder.typeCode('import json\njson.du');
    await expect.poll(async () => {
      await browser.page.keyboard.press('Control+Space');
      return browser.page.locator('.suggest-widget .monaco-list-row', { hasText: 'dumps' }).count();
    }, { timeout: FIRST_ANSWER_MS, interval: 500 }).toBeGreaterThan(0);
    await screenshot(browser.page, 'builder-pyright-completion');
    // `dump` comes first; one more letter picks `dumps`.
    await browser.page.keyboard.type('s');
    await browser.page.keyboard.press('Enter');
    await eventually(() => builder.code()).toContain('json.dumps');

    await builder.hoverWord('dumps');
    await eventually(hoverText).toMatch(/def dumps\([\s\S]*obj/);
    await screenshot(browser.page, 'builder-pyright-hover');
    expect(workerComplaints).toEqual([]);
  });

  it('flags imports the sandbox cannot satisfy, undefined names and wrong argument types to the SDK', async () => {
    await builder.typeCode('import requests\nimport numpy\nfrom platform_sdk import call_ai, send_output\n\nsend_output(call_ai(42, "hi"))\nprint(undefined_answer)\n');
    await expect.poll(() => hoverOver('requests'), { timeout: FIRST_ANSWER_MS, interval: 500 }).toMatch(/"requests" is not available in the sandbox/);
    expect(await hoverText()).not.toMatch(/could not be resolved/);
    await screenshot(browser.page, 'builder-pyright-sandbox-import');
    await eventually(() => hoverOver('numpy')).toMatch(/"numpy" is not available in the sandbox/);
    await eventually(() => hoverOver('42')).toMatch(/Argument of type "Literal\[42\]" cannot be assigned to parameter "model" of type "str"[\s\S]*basedpyright/);
    await eventually(() => hoverOver('undefined_answer')).toMatch(/"undefined_answer" is not defined/);
    expect(workerComplaints).toEqual([]);
  });

  it('helps with a call (signature help) and goes to a platform_sdk function\'s definition in the stub with F12', async () => {
    await builder.typeCode('from platform_sdk import send_output\n\nsend_output(');
    await expect.poll(async () => {
      await browser.page.keyboard.press('Control+Shift+Space');
      return browser.page.locator('.parameter-hints-widget').innerText().catch(() => '');
    }, { timeout: FIRST_ANSWER_MS, interval: 500 }).toMatch(/value:/);
    await screenshot(browser.page, 'builder-pyright-signature');
    await browser.page.keyboard.press('Escape');

    // The cursor on the imported name, as a click on it puts it.
    await builder.hoverWord('send_output');
    await browser.page.mouse.down();
    await browser.page.mouse.up();
    await browser.page.keyboard.press('F12');
    const stub = browser.page.getByTestId('editor-stub');
    await eventually(() => stub.innerText().catch(() => '')).toContain('platform_sdk.pyi (read-only)');
    await eventually(() => builder.code()).toContain('def send_output(');
    await screenshot(browser.page, 'builder-pyright-definition');
    await stub.getByRole('button', { name: 'Back to the plugin' }).click();
    await eventually(() => builder.code()).toContain('from platform_sdk import send_output');
    expect(browser.pageErrors).toEqual([]);
  });
});
