import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
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
  const served = useServedApp({
    seed: async (api) => {
      await api.call('plugins.save', { code: SHOUTER, manifest: { name: 'shouter', description: 'Shouts and asks llama' } });
      await api.call('plugins.save', { code: COUNTER, manifest: { name: 'key-lister', inputType: 'json', inputHint: 'A JSON object' } });
      await api.call('plugins.save', { code: ASKER, manifest: { name: 'asker' } });
    },
    // The Builder's URL signs in; the Runner is then a click away, as for a user.
    signIn: (page, app) => new BuilderPage(page).open(app.signInUrl),
  });
  let runner: RunnerPage;
  beforeEach(async () => {
    runner = new RunnerPage(served.page);
    await runner.open();
  });

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
    await screenshot(served.page, 'runner');

    // The older run is second (newest first); reopening it brings back its output and its input.
    await runner.historyRows().nth(1).click();
    await runner.output().filter({ hasText: 'FIRST INPUT' }).waitFor();
    await eventually(() => served.page.getByTestId('runner-input').inputValue()).toBe('first input');
    await eventually(() => runner.historyRows().nth(1).getAttribute('aria-current')).toBe('true');
    await screenshot(served.page, 'runner-history-reopened');

    // The light theme, switched by keyboard, is kept in the settings.
    await served.page.keyboard.press('ControlOrMeta+Shift+L');
    await eventually(() => served.page.locator('html').getAttribute('data-theme')).toBe('light');
    await expect.poll(async () => (await served.api.call('settings.get', {})).ui.theme).toBe('light');
    await screenshot(served.page, 'runner-light');
    await served.api.call('settings.update', { ui: { theme: 'dark' } });
  });

  it('offers the fix a refusal\'s typed details name (the model to approve), and the next run works', async () => {
    await runner.pick('asker');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^MODEL_NOT_ALLOWED/);
    const fix = served.page.getByTestId('error-fix').getByRole('button');
    await eventually(() => fix.innerText()).toBe('Approve llava:latest');
    await fix.click();
    await eventually(() => fix.innerText()).toBe('Approve llava:latest: done, run again');
    expect((await served.api.call('settings.get', {})).ollama.allowList).toContain('llava:latest');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    await eventually(() => runner.output().innerText()).toBe('Answer from llava:latest: hi');
    await eventually(() => served.page.getByTestId('error-fix').count()).toBe(0);
  });

  it('checks JSON input as you type and runs only valid JSON', async () => {
    await runner.pick('key-lister');
    const field = served.page.getByTestId('runner-json');
    await field.fill('{"b": 1, "a": ');
    await served.page.getByText(/^Not valid JSON/).waitFor();
    await eventually(() => served.page.getByRole('button', { name: '▶ Run' }).isDisabled()).toBe(true);
    // The label alone names the field; the error describes it (and Format is a button of its own).
    const named = served.page.getByRole('textbox', { name: 'Input (JSON)', exact: true });
    expect(await named.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await named.getAttribute('aria-describedby');
    expect(await served.page.locator(`[id="${describedBy}"]`).innerText()).toMatch(/^Not valid JSON: /);
    expect(await served.page.getByRole('button', { name: 'Format JSON' }).isDisabled()).toBe(true);
    await screenshot(served.page, 'runner-json-invalid');
    await field.fill('{"b": 1, "a": 2}');
    await served.page.getByText('Valid JSON').waitFor();
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    expect(JSON.parse(await runner.output().innerText())).toEqual({ keys: ['a', 'b'] });
  });
});
