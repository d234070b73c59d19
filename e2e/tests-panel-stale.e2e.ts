import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatRecording } from '../src/ai/recording.ts';
import type { ApiClient } from '../src/shared/api/types.ts';
import { useServedApp } from './helpers/served-app.ts';
import { BuilderPage } from './pages/builder.ts';

// A trial found the Tests panel's results outliving what they were about: another plugin, a case
// changed on disk, an edit of the code. Each plugin here has cases that replay recorded answers.
const code = (verb: string) => `from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("qwen2.5:1.5b", "${verb}: " + get_input()))\n`;

async function seedPlugin(api: ApiClient, name: string, inputs: string[]): Promise<void> {
  await api.call('plugins.save', { code: code('Summarize'), manifest: { name, models: ['qwen2.5:1.5b'] } });
  for (const input of inputs) {
    const recording = formatRecording({
      format: 'wasmforge-ai-recording', version: 1, models: ['qwen2.5:1.5b'],
      calls: [{ kind: 'generate', request: { model: 'qwen2.5:1.5b', prompt: `Summarize: ${input}` }, response: { text: `Short ${input}.` } }],
    });
    await api.call('tests.saveFromRun', { plugin: name, name: input, input, output: `Short ${input}.`, errorCode: null, recording });
  }
}

/** A whole run of cases starts the sandboxes and saves the plugin first: on a loaded machine that takes a while. */
function settles<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: 60_000, interval: 100 });
}

function panel(page: Page): { root: Locator; cases: Locator; summary: Locator } {
  const root = page.getByRole('region', { name: 'Tests' });
  return { root, cases: root.getByTestId('test-case'), summary: root.getByTestId('tests-summary') };
}

async function runAllPassing(page: Page, count: number): Promise<void> {
  const tests = panel(page);
  await settles(() => tests.cases.count()).toBe(count);
  await tests.root.getByTestId('run-all-tests').click();
  await settles(() => tests.summary.count()).toBe(1);
  expect(await tests.summary.innerText()).toMatch(new RegExp(`^${count} passed, 0 failed`));
}

describe('Tests panel results stay with what they ran on (Chromium against wasmforge serve)', () => {
  const served = useServedApp({
    signIn: async () => undefined,
    seed: async (api) => {
      await seedPlugin(api, 'stale-alpha', ['May', 'June']);
      await seedPlugin(api, 'stale-beta', ['July']);
    },
  });

  it('shows none of plugin A\'s results or summary once plugin B is open', async () => {
    const builder = new BuilderPage(served.page);
    await builder.open(served.app.signInUrl);
    await builder.openPlugin('stale-alpha');
    await runAllPassing(served.page, 2);

    await builder.openPlugin('stale-beta');
    const tests = panel(served.page);
    await settles(() => tests.cases.first().innerText()).toContain('July');
    expect(await tests.summary.count()).toBe(0);
    expect(await tests.cases.first().getAttribute('data-state')).toBe('not-run');
  });

  it('shows a case changed on disk since its result as not run', async () => {
    const builder = new BuilderPage(served.page);
    await builder.open(served.app.signInUrl);
    await builder.openPlugin('stale-alpha');
    await runAllPassing(served.page, 2);

    const file = join(served.app.home, 'workspace', 'stale-alpha', 'tests', 'june.json');
    const listReadAgain = served.page.waitForResponse((response) => response.url().endsWith('/api/call/tests.list'));
    await writeFile(file, (await readFile(file, 'utf8')).replace('"input": "June"', '"input": "June, edited"'));
    await listReadAgain;
    const tests = panel(served.page);
    const june = tests.cases.filter({ hasText: 'june.json' });
    await settles(() => june.getAttribute('data-state')).toBe('not-run');
    expect(await tests.cases.filter({ hasText: 'may.json' }).getAttribute('data-state')).toBe('passed');
    expect(await tests.summary.innerText()).toContain('out of date');
  });

  it('keeps the results after a code edit, labelled out of date', async () => {
    const builder = new BuilderPage(served.page);
    await builder.open(served.app.signInUrl);
    await builder.openPlugin('stale-beta');
    await runAllPassing(served.page, 1);

    await builder.typeCode(code('Shorten'));
    const tests = panel(served.page);
    const july = tests.cases.first();
    await settles(() => july.getAttribute('data-outdated')).toBe('true');
    expect(await july.getAttribute('data-state')).toBe('passed');
    expect(await july.innerText()).toContain('out of date');
    expect(await tests.summary.innerText()).toMatch(/^1 passed, 0 failed .*out of date/);
  });
});
