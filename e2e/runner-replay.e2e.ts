import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { RunnerPage } from './pages/runner.ts';

// Issue #12: without Ollama, the Runner too may answer a workspace plugin's AI calls from its test
// cases (the Builder's replay mode), each answer marked "replayed".
const CODE = 'from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("llama3.2:latest", "Say hi to " + get_input()))\n';
const CASE = { input: 'Ada', ai: [{ model: 'llama3.2:latest', prompt: 'Say hi to Ada', response: 'Hi Ada!' }], expect: { output: 'Hi Ada!' } };

describe('the Runner in replay mode, with Ollama away', () => {
  const served = useServedApp({
    serve: { settings: { ollama: { host: 'http://127.0.0.1:9' } } },
    seed: async (api, app) => {
      await api.call('plugins.save', { code: CODE, manifest: { name: 'greeter-offline', description: 'Greets with a model', models: ['llama3.2:latest'] } });
      const tests = join(app.home, 'workspace', 'greeter-offline', 'tests');
      await mkdir(tests, { recursive: true });
      await writeFile(join(tests, 'ada.json'), JSON.stringify(CASE));
    },
    browser: 'file',
  });

  it('fails without the mode, then answers from the test case with it, marked replayed', async () => {
    const runner = new RunnerPage(served.page);
    await runner.open();
    await runner.pick('greeter-offline');
    await runner.setText('Ada');
    await runner.run();
    expect(await runner.finished()).toMatch(/^AI_UNAVAILABLE/);

    await served.page.getByTestId('replay-mode').check();
    await eventually(() => served.page.locator('.replay-toggle').innerText()).toBe('Replay mode');
    await runner.run();
    await runner.finished();
    await eventually(() => runner.output().innerText()).toBe('Hi Ada!');
    await served.page.getByRole('tab', { name: /^AI trace/ }).click();
    await eventually(() => served.page.getByTestId('ai-call-replayed').count()).toBe(1);
    await screenshot(served.page, 'runner-replay-mode');
    expect(served.browser.pageErrors).toEqual([]);
  });
});
