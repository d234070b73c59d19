import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { ApiClient } from '../src/shared/api/types.ts';
import { screenshot } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { useServedApp } from './helpers/served-app.ts';
import { MarketplacePage } from './pages/marketplace.ts';

// Reading a plugin's code on the Marketplace before installing it: every file of a multi-file plugin.
const MULTI = 'word-tools';
const MULTI_CODE = 'from platform_sdk import get_input, send_output\nfrom helpers import shout\nsend_output(shout(get_input()))\n';
const MULTI_FILES = { 'helpers.py': 'def shout(text):\n    return text.upper() + "!"  # helpers-only line\n', 'data/words.txt': 'alpha\nbeta\n' };

async function publish(api: ApiClient, name: string, version: string, code: string, files: Record<string, string> = {}): Promise<void> {
  const existing = (await api.call('plugins.list', {})).some((plugin) => plugin.source === 'workspace' && plugin.name === name);
  await api.call('plugins.save', { code, files, manifest: { name, version, description: `${name} for the code view` }, ...(existing ? { previousName: name } : {}) });
  const result = await api.stream('market.publish', { name }, { onEvent: () => undefined });
  expect(result.status).toBe('published');
}

/** The lines Monaco has drawn in this editor (it renders spaces as no-break spaces). */
async function shownCode(editor: Locator): Promise<string> {
  return (await editor.locator('.view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

describe("a plugin's code on its Marketplace page", () => {
  const served = useServedApp({
    seed: async (api) => {
      await publish(api, MULTI, '1.0.0', MULTI_CODE, MULTI_FILES);
    },
    browser: 'file',
  });

  it('shows every file of a multi-file plugin, plugin.py first, each readable before installing', async () => {
    const page = served.page;
    const market = new MarketplacePage(page);
    await market.open();
    await market.openDetail(MULTI);
    const files = page.getByRole('tablist', { name: `Files of ${MULTI} 1.0.0` });
    await eventually(() => files.getByRole('tab').allInnerTexts()).toEqual(['plugin.py', 'data/words.txt', 'helpers.py']);
    expect(await files.getByRole('tab', { name: 'plugin.py' }).getAttribute('aria-selected')).toBe('true');
    const code = page.getByTestId('readonly-code');
    await eventually(() => shownCode(code)).toContain('from helpers import shout');

    await files.getByRole('tab', { name: 'helpers.py' }).click();
    await eventually(() => shownCode(code)).toContain('helpers-only line');
    expect(await files.getByRole('tab', { name: 'helpers.py' }).getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'marketplace-detail-helpers-file');
    await files.getByRole('tab', { name: 'data/words.txt' }).click();
    await eventually(() => shownCode(code)).toContain('alpha');
    expect(served.browser.pageErrors).toEqual([]);
  });
});
