import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../src/shared/api/http-client.ts';
import type { ApiClient } from '../src/shared/api/types.ts';
import { openBrowser, screenshot, type BrowserSession } from './helpers/browser.ts';
import { serveApp, type ServedApp } from './helpers/serve.ts';
import { BuilderPage } from './pages/builder.ts';
import { RunnerPage } from './pages/runner.ts';
import { eventually } from './helpers/eventually.ts';

const SHOUTER = `from platform_sdk import get_input, send_output, call_ai

text = get_input()
send_output(text.upper() + " | " + call_ai("llama3.2:latest", text))
`;

const COUNTER = `from platform_sdk import get_input_json, send_output

data = get_input_json()
send_output({"keys": sorted(data)})
`;

// llava is installed in the fake Ollama but not on the default allow-list.
const ASKER = `from platform_sdk import call_ai, send_output

send_output(call_ai("llava:latest", "hi"))
`;

describe('Runner in Chromium against wasmforge serve', () => {
  let app: ServedApp;
  let api: ApiClient;
  let browser: BrowserSession;
  let runner: RunnerPage;

  beforeAll(async () => {
    app = await serveApp();
    api = createHttpClient({ baseUrl: app.url, token: app.token });
    await api.call('plugins.save', { code: SHOUTER, manifest: { name: 'shouter', description: 'Shouts and asks llama' } });
    await api.call('plugins.save', { code: COUNTER, manifest: { name: 'key-lister', inputType: 'json', inputHint: 'A JSON object' } });
    await api.call('plugins.save', { code: ASKER, manifest: { name: 'asker' } });
  });
  afterAll(() => app?.stop());
  beforeEach(async () => {
    browser = await openBrowser();
    await new BuilderPage(browser.page).open(app.signInUrl);
    runner = new RunnerPage(browser.page);
    await runner.open();
  });
  afterEach(() => browser?.close());

  it('runs a workspace plugin, keeps the runs, and reopens an older one from the history', async () => {
    await runner.pick('shouter');
    await runner.setText('first input');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    await eventually(() => runner.output().innerText()).toBe('FIRST INPUT | Answer from llama3.2:latest: first input');

    await runner.setText('second input');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    await runner.historyRows().nth(1).waitFor();
    await eventually(() => runner.historyRows().count()).toBe(2);
    await screenshot(browser.page, 'runner');

    // The older run is second (newest first); reopening it brings back its output and its input.
    await runner.historyRows().nth(1).click();
    await runner.output().filter({ hasText: 'FIRST INPUT' }).waitFor();
    await eventually(() => browser.page.getByTestId('runner-input').inputValue()).toBe('first input');
    await eventually(() => runner.historyRows().nth(1).getAttribute('aria-current')).toBe('true');
    await screenshot(browser.page, 'runner-history-reopened');

    // The light theme, switched by keyboard, is kept in the settings.
    await browser.page.keyboard.press('ControlOrMeta+Shift+L');
    await eventually(() => browser.page.locator('html').getAttribute('data-theme')).toBe('light');
    await expect.poll(async () => (await api.call('settings.get', {})).ui.theme).toBe('light');
    await screenshot(browser.page, 'runner-light');
    await api.call('settings.update', { ui: { theme: 'dark' } });
  });

  it('offers the fix a refusal\'s typed details name (the model to approve), and the next run works', async () => {
    await runner.pick('asker');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^MODEL_NOT_ALLOWED/);
    const fix = browser.page.getByTestId('error-fix').getByRole('button');
    await eventually(() => fix.innerText()).toBe('Approve llava:latest');
    await fix.click();
    await eventually(() => fix.innerText()).toBe('Approve llava:latest: done, run again');
    expect((await api.call('settings.get', {})).ollama.allowList).toContain('llava:latest');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    await eventually(() => runner.output().innerText()).toBe('Answer from llava:latest: hi');
    await eventually(() => browser.page.getByTestId('error-fix').count()).toBe(0);
  });

  it('checks JSON input as you type and runs only valid JSON', async () => {
    await runner.pick('key-lister');
    const field = browser.page.getByTestId('runner-json');
    await field.fill('{"b": 1, "a": ');
    await browser.page.getByText(/^Not valid JSON/).waitFor();
    await eventually(() => browser.page.getByRole('button', { name: '▶ Run' }).isDisabled()).toBe(true);
    // The label alone names the field; the error describes it (and Format is a button of its own).
    const named = browser.page.getByRole('textbox', { name: 'Input (JSON)', exact: true });
    expect(await named.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await named.getAttribute('aria-describedby');
    expect(await browser.page.locator(`[id="${describedBy}"]`).innerText()).toMatch(/^Not valid JSON: /);
    expect(await browser.page.getByRole('button', { name: 'Format JSON' }).isDisabled()).toBe(true);
    await screenshot(browser.page, 'runner-json-invalid');
    await field.fill('{"b": 1, "a": 2}');
    await browser.page.getByText('Valid JSON').waitFor();
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    expect(JSON.parse(await runner.output().innerText())).toEqual({ keys: ['a', 'b'] });
  });
});
