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

// Sixty lines, of which the update changes only the fortieth: out of sight of a diff that opens at line 1.
const LONG = 'long-one';
const longCode = (line40: string): string => ['from platform_sdk import get_input, send_output', ...Array.from({ length: 59 }, (_, index) => (index === 38 ? line40 : `step_${index + 2} = ${index + 2}`)), 'send_output(get_input())', ''].join('\n');
const CHANGED_LINE = 'step_40 = "changed far down"';

async function publish(api: ApiClient, name: string, version: string, code: string, files: Record<string, string> = {}): Promise<void> {
  const existing = (await api.call('plugins.list', {})).some((plugin) => plugin.source === 'workspace' && plugin.name === name);
  await api.call('plugins.save', { code, files, manifest: { name, version, description: `${name} for the code view` }, ...(existing ? { previousName: name } : {}) });
  const result = await api.stream('market.publish', { name }, { onEvent: () => undefined });
  expect(result.status).toBe('published');
}

/**
 * The lines Monaco has drawn in this editor's text (not an inline diff's deleted lines, drawn apart in
 * view zones); it renders spaces as no-break spaces.
 */
async function shownCode(editor: Locator): Promise<string> {
  return (await editor.locator('.lines-content > .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

describe("a plugin's code on its Marketplace page", () => {
  const served = useServedApp({
    seed: async (api) => {
      await publish(api, MULTI, '1.0.0', MULTI_CODE, MULTI_FILES);
      await publish(api, LONG, '1.0.0', longCode('step_40 = 40'));
      const first = await api.call('market.details', { name: LONG, version: '1.0.0' });
      await api.call('market.install', { name: LONG, version: '1.0.0', sha256: first.selected.sha256 });
      await publish(api, LONG, '1.1.0', longCode(CHANGED_LINE));
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

  it("opens an update's code diff at its first change, far down the file", async () => {
    const page = served.page;
    const market = new MarketplacePage(page);
    await market.open();
    await market.openDetail(LONG);
    await market.action('Update to 1.1.0').click();
    const diff = page.getByTestId('consent-dialog').getByTestId('code-diff');
    await eventually(() => diff.getAttribute('data-changes')).toBe('1');
    // Monaco draws only the lines in view: the changed one is among them without any scrolling.
    await eventually(() => shownCode(diff.locator('.editor.modified'))).toContain(CHANGED_LINE);
    await screenshot(page, 'update-consent-diff-far-change');
    expect(served.browser.pageErrors).toEqual([]);
  });
});
