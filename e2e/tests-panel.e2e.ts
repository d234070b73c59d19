import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { BuilderPage } from './pages/builder.ts';

// A wildcard import: no name on the import line for Monaco's suggestions to complete while it is typed.
const summarizer = (verb: string, suffix = '') => `from platform_sdk import *

send_output(call_ai("qwen2.5:1.5b", "${verb}: " + get_input())${suffix})
`;

/** A whole run of cases starts the sandboxes and saves the plugin first: on a loaded machine that takes a while. */
function settles<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: 60_000, interval: 100 });
}

/** The Builder's Tests panel as a user sees it. */
class TestsPanel {
  readonly root: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('region', { name: 'Tests' });
  }

  async saveLastRun(name: string): Promise<void> {
    await this.root.getByLabel('Test case name').fill(name);
    await this.root.getByRole('button', { name: 'Save as test case' }).click();
  }

  cases(): Locator {
    return this.root.getByTestId('test-case');
  }

  runAll(): Promise<void> {
    return this.root.getByTestId('run-all-tests').click();
  }

  summary(): Promise<string> {
    return this.root.getByTestId('tests-summary').innerText();
  }
}

describe('Tests in the Builder (Chromium against wasmforge serve)', () => {
  // The test signs in itself, straight into the Builder.
  const served = useServedApp({ browser: 'file', signIn: async () => undefined });

  it('saves a run as a test case, lists it, runs it offline to a pass, shows the diff after an edit, names a replay miss, and answers a run from the cases in replay mode', async () => {
    const builder = new BuilderPage(served.page);
    const tests = new TestsPanel(served.page);
    await builder.open(served.app.signInUrl);
    await builder.typeCode(summarizer('Summarize'));
    await builder.setName('e2e-tested');
    await builder.setInput('the report');
    await builder.run();
    await eventually(() => builder.finished()).toMatch(/^Done in/);

    await tests.saveLastRun('Short report');
    await eventually(() => tests.root.getByRole('status').first().innerText()).toContain('Saved tests/short-report.json');
    await eventually(() => tests.cases().count()).toBe(1);
    expect(await tests.cases().first().innerText()).toContain('Short report');
    const file = JSON.parse(await readFile(join(served.app.home, 'workspace', 'e2e-tested', 'tests', 'short-report.json'), 'utf8'));
    expect(file).toMatchObject({ input: 'the report', ai: [{ model: 'qwen2.5:1.5b', prompt: 'Summarize: the report' }], expect: { output: 'Answer from qwen2.5:1.5b: Summarize: the report' } });

    // The same name again is refused, in words first; the plugin's next run clears the refusal (a trial saw one outlive two runs).
    await tests.saveLastRun('Short report');
    const refusal = tests.root.getByRole('alert');
    await eventually(() => refusal.innerText()).toMatch(/^Already exists: .*\(ALREADY_EXISTS\)$/);
    await builder.run();
    await eventually(() => builder.finished()).toMatch(/^Done in/);
    expect(await refusal.count()).toBe(0);

    // The cases answer from what they recorded: the model may be gone.
    served.app.ollama.faults = { failStatus: { status: 500 } };
    await tests.runAll();
    await settles(() => tests.cases().first().getAttribute('data-state')).toBe('passed');
    expect(await tests.summary()).toMatch(/^1 passed, 0 failed/);

    await builder.typeCode(summarizer('Summarize', ' + "!"'));
    await tests.runAll();
    await settles(() => tests.cases().first().getAttribute('data-state')).toBe('failed');
    const diff = tests.cases().first().getByTestId('case-diff');
    expect(await diff.locator('.diff-removed').innerText()).toBe('− Answer from qwen2.5:1.5b: Summarize: the report');
    expect(await diff.locator('.diff-added').innerText()).toBe('+ Answer from qwen2.5:1.5b: Summarize: the report!');
    await screenshot(served.page, 'builder-tests-diff');

    await builder.typeCode(summarizer('Summarise'));
    await tests.runAll();
    await settles(() => tests.cases().first().getByTestId('replay-miss').isVisible()).toBe(true);
    const miss = await tests.cases().first().getByTestId('replay-miss').innerText();
    expect(miss).toContain('Replay miss: AI call #1 (qwen2.5:1.5b)');
    expect(miss).toContain('its prompt differs: recorded Summarize: the report, got Summarise: the report');

    // Replay mode: with no model, a run in the Builder answers from the cases, each answer marked.
    await builder.typeCode(summarizer('Summarize'));
    await served.page.getByTestId('replay-mode').check();
    await builder.run();
    await settles(() => builder.finished()).toMatch(/^Done in/);
    expect(await builder.output().innerText()).toBe('Answer from qwen2.5:1.5b: Summarize: the report');
    const trace = await builder.showPane('AI trace');
    expect(await trace.getByTestId('ai-call-replayed').count()).toBe(1);
  });
});

describe('Tests results in the Builder across saves (Chromium against wasmforge serve)', () => {
  // A browser of its own: the draft the test above leaves in its storage would be renamed by this one.
  const served = useServedApp({ signIn: async () => undefined });

  it('keeps the results of a test run after a Save that leaves the code as it was (the Save button, Ctrl+S)', async () => {
    const builder = new BuilderPage(served.page);
    const tests = new TestsPanel(served.page);
    await builder.open(served.app.signInUrl);
    await builder.typeCode(summarizer('Shorten'));
    await builder.setName('e2e-kept-results');
    await builder.setInput('the memo');
    await builder.run();
    await eventually(() => builder.finished()).toMatch(/^Done in/);
    await tests.saveLastRun('Memo');
    await eventually(() => tests.cases().count()).toBe(1);
    await tests.runAll();
    await settles(() => tests.cases().first().getAttribute('data-state')).toBe('passed');

    // The Save button, then Ctrl+S in the editor: each save's library.changed reads the case list again, and the results outlive it.
    const saves = [
      () => served.page.getByRole('toolbar', { name: 'Builder' }).getByRole('button', { name: 'Save', exact: true }).click(),
      async () => {
        await served.page.locator('.monaco-editor').first().click();
        await served.page.keyboard.press('ControlOrMeta+S');
      },
    ];
    for (const save of saves) {
      const listReadAgain = served.page.waitForResponse((response) => response.url().endsWith('/api/call/tests.list'));
      await save();
      await listReadAgain;
      await eventually(() => builder.saveState().innerText()).toBe('Saved');
      expect(await tests.cases().first().getAttribute('data-state')).toBe('passed');
      expect(await tests.summary()).toMatch(/^1 passed, 0 failed/);
    }
  });
});
