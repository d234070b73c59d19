import { createServer } from 'node:net';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { MarketplacePage } from './pages/marketplace.ts';
import { RunnerPage } from './pages/runner.ts';

// Hints come from the backend, written for the CLI too: `wasmforge search` there is a command to
// type. A trial found the backticks shown as they are in the UI; there they are code.
const CODE = 'from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("llama3.2:latest", "Say hi to " + get_input()))\n';

/** A port nothing listens on (taken, then let go): a connection there is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function codeIn(hint: Locator): Promise<{ text: string; code: string[] }> {
  return { text: await hint.innerText(), code: await hint.locator('code').allInnerTexts() };
}

describe('backticked commands in messages and hints (Chromium against wasmforge serve)', () => {
  const served = useServedApp({
    // Nothing listens there: a run's AI call is refused, and its hint says to start Ollama.
    serve: async () => ({ settings: { ollama: { host: `http://127.0.0.1:${await closedPort()}` } } }),
    seed: async (api) => {
      await api.call('plugins.save', { code: CODE, manifest: { name: 'greeter-away', description: 'Greets with a model', models: ['llama3.2:latest'] } });
    },
  });

  it('shows a run\'s hint with `ollama serve` as code, without backticks', async () => {
    const runner = new RunnerPage(served.page);
    await runner.open();
    await runner.pick('greeter-away');
    await runner.setText('Ada');
    await runner.run();
    expect(await runner.finished()).toMatch(/^AI_UNAVAILABLE/);
    const hint = served.page.getByRole('region', { name: 'Run result' }).locator('.hint');
    await eventually(() => hint.innerText()).toContain('Start Ollama');
    const shown = await codeIn(hint);
    expect(shown.code).toEqual(['ollama serve']);
    expect(shown.text).not.toContain('`');
  });

  it('shows an error banner\'s hint with `wasmforge search` as code, without backticks', async () => {
    await served.page.goto(`${served.app.url}/#/marketplace/no-such-plugin`);
    const banner = served.page.getByRole('alert').filter({ hasText: 'Search with' });
    await eventually(() => banner.count()).toBe(1);
    const shown = await codeIn(banner.locator('.hint'));
    expect(shown.code).toEqual(['wasmforge search']);
    expect(await banner.innerText()).not.toContain('`');
  });

});

describe('the install consent with Ollama not running (Chromium against wasmforge serve)', () => {
  const served = useServedApp({
    serve: async () => ({ settings: { ollama: { host: `http://127.0.0.1:${await closedPort()}` } } }),
    seed: async (api) => {
      await api.stream('market.publish', { code: CODE, manifest: { name: 'greeter-shared', version: '1.0.0', description: 'Greets with a model' } }, { onEvent: () => undefined });
      await api.call('models.approve', { name: 'llama3.2:latest', approved: true });
    },
  });

  // Found by use (new-user trial): with Ollama not running, the install consent said an approved model was
  // "Not approved or not installed", although Models said "approved, installed: unknown".
  it('an install consent with Ollama not running calls an approved model approved, and says its install is not known', async () => {
    const market = new MarketplacePage(served.page);
    await market.open();
    await market.openDetail('greeter-shared');
    await market.action(/^Install /).click();
    const declarations = served.page.getByTestId('consent-dialog').getByTestId('declarations');
    await eventually(() => declarations.innerText()).toContain('Ollama is not running, so whether this model is installed is not known');
    expect(await declarations.innerText()).not.toContain('Not approved');
    await served.page.getByTestId('consent-dialog').getByRole('button', { name: 'Cancel' }).click();
  });
});
