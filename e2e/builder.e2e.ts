import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type BrowserSession } from './helpers/browser.ts';
import { serveApp, type ServedApp } from './helpers/serve.ts';
import { BuilderPage } from './pages/builder.ts';
import { eventually } from './helpers/eventually.ts';

const SUMMARIZER = `from platform_sdk import call_ai, get_input, send_output

text = get_input()
print("calling the model")
send_output(call_ai("qwen2.5:1.5b", "Summarize: " + text))
`;

describe('Builder in Chromium against wasmforge serve', () => {
  let app: ServedApp;
  let browser: BrowserSession;
  let builder: BuilderPage;

  beforeAll(async () => {
    app = await serveApp();
  });
  afterAll(() => app?.stop());
  beforeEach(async () => {
    browser = await openBrowser();
    builder = new BuilderPage(browser.page);
    await builder.open(app.signInUrl);
  });
  afterEach(() => browser?.close());

  it('runs a plugin typed into Monaco and shows its output, logs and AI trace', async () => {
    app.ollama.faults = { tokenLatencyMs: 5 };
    await builder.typeCode(SUMMARIZER);
    await builder.setName('e2e-summarizer');
    await builder.setInput('WebAssembly sandboxes');
    await builder.runWithKeyboard();
    await eventually(() => builder.finished()).toMatch(/^Done in/);
    await eventually(() => builder.output().innerText()).toBe('Answer from qwen2.5:1.5b: Summarize: WebAssembly sandboxes');

    const logs = await builder.showPane('Logs');
    await eventually(() => logs.innerText()).toContain('calling the model');
    const trace = await builder.showPane('AI trace');
    const call = trace.getByTestId('ai-call');
    await eventually(() => call.count()).toBe(1);
    await eventually(() => call.innerText()).toContain('qwen2.5:1.5b');
    await eventually(() => call.locator('.response').innerText()).toBe('Answer from qwen2.5:1.5b: Summarize: WebAssembly sandboxes');
    await eventually(() => browser.page.getByTestId('meter-ai-calls').innerText()).toContain('1 / 10');
    await builder.saveState().filter({ hasText: /^Saved$/ }).waitFor();
    // What was typed is exactly what the workspace holds (no auto-indent or auto-closed quotes crept in).
    await eventually(() => readFile(join(app.home, 'workspace', 'e2e-summarizer', 'plugin.py'), 'utf8')).toBe(SUMMARIZER);
    await screenshot(browser.page, 'builder-ai-trace');
    await builder.showPane('Output');
    await screenshot(browser.page, 'builder');
    expect(browser.pageErrors).toEqual([]);
  });

  it('never loses the draft: it asks before leaving with unsaved edits, and the code is back after a reload', async () => {
    await builder.setName('Not A Valid Name');
    await builder.typeCode('print("draft kept")\n');
    await eventually(() => builder.saveState().innerText()).toMatch(/^Draft/);
    const dialogs: string[] = [];
    browser.page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await browser.page.reload();
    expect(dialogs).toEqual(['beforeunload']);
    await builder.editorReady();
    await eventually(() => builder.code()).toContain('print("draft kept")');
    await eventually(() => builder.saveState().innerText()).toMatch(/^Draft/);
  });

  it('offers platform_sdk completions with their docs', async () => {
    // No brackets: whether Monaco auto-closes a '(' that arrives via insertText varies from run to run.
    await builder.typeCode('from platform_sdk import send_output\nanswer = call_');
    await browser.page.keyboard.press('Control+Space');
    const suggestion = browser.page.locator('.suggest-widget .monaco-list-row', { hasText: 'call_ai' }).first();
    await suggestion.waitFor();
    await screenshot(browser.page, 'builder-completions');
    await browser.page.keyboard.press('Enter');
    await expect.poll(() => builder.code()).toContain('answer = call_ai');
    // Hover docs come from the same stub.
    await builder.hoverWord('call_ai');
    await browser.page.locator('.monaco-hover', { hasText: 'approved model' }).first().waitFor();
    await screenshot(browser.page, 'builder-hover');
  });

  it('asks a browser without the token to sign in', async () => {
    const other = await openBrowser();
    try {
      await other.page.goto(app.url);
      await other.page.getByRole('heading', { name: 'WasmForge' }).waitFor();
      await eventually(() => other.page.getByText('This server needs its access token.').isVisible()).toBe(true);
      await screenshot(other.page, 'sign-in');
    } finally {
      await other.close();
    }
  });

  it('underlines a syntax error as you type', async () => {
    await builder.typeCode('from platform_sdk import send_output\n\ndef broken(:\n    pass\n');
    await builder.squiggles().first().waitFor();
    const banner = browser.page.getByTestId('syntax-error');
    await eventually(() => banner.innerText()).toMatch(/^Line 3/);
    await screenshot(browser.page, 'builder-syntax-error');
    await builder.typeCode('x = 1\n');
    await banner.waitFor({ state: 'detached' });
    await eventually(() => builder.squiggles().count()).toBe(0);
  });

  it('cancels a long run', async () => {
    await builder.typeCode('while True:\n    pass\n');
    await builder.run();
    await browser.page.locator('.run-status.tone-busy').waitFor();
    await browser.page.getByTestId('meter-time').filter({ hasText: /[1-9]\d* ms|s \// }).waitFor();
    await builder.cancel();
    await eventually(() => builder.finished()).toContain('CANCELLED');
    await screenshot(browser.page, 'builder-cancelled');
  });

  it('shows a hostile plugin\'s error, and the next run works', async () => {
    await builder.typeCode('import os\nprint(os.listdir("/"))\nprint(open("/etc/passwd").read())\n');
    await builder.run();
    await eventually(() => builder.finished()).toMatch(/^PLUGIN_ERROR/);
    await eventually(() => builder.output().innerText()).toMatch(/Error/);
    await eventually(() => builder.output().innerText()).not.toContain('root:x:0:0');
    await screenshot(browser.page, 'builder-hostile');

    await builder.typeCode('from platform_sdk import send_output\nsend_output("still alive")\n');
    await builder.run();
    await eventually(() => builder.finished()).toMatch(/^Done in/);
    await eventually(() => builder.output().innerText()).toBe('still alive');
  });
});
