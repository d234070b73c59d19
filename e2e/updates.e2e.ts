import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../src/shared/api/types.ts';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { AppShell } from './pages/app.ts';

// Issue #15, "updates you can judge": Home and the Runner say when an installed plugin has an
// update or was revoked, and the update's consent shows what changes, declarations and code.
const NAME = 'greeter-up';
const V1 = 'from platform_sdk import get_input, send_output\nsend_output("hello " + get_input())\n';
const V2 = 'from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("llama3.2:latest", "greet " + get_input()))\n';

async function publish(api: ApiClient, version: string, code: string, limits: Record<string, number> = {}): Promise<void> {
  const existing = (await api.call('plugins.list', {})).some((plugin) => plugin.source === 'workspace' && plugin.name === NAME);
  await api.call('plugins.save', { code, manifest: { name: NAME, version, description: 'Greets whoever it is given', limits }, ...(existing ? { previousName: NAME } : {}) });
  const result = await api.stream('market.publish', { name: NAME }, { onEvent: () => undefined });
  expect(result.status).toBe('published');
}

describe('an installed plugin with an update, then revoked', () => {
  const served = useServedApp({
    seed: async (api) => {
      await publish(api, '1.0.0', V1);
      const first = await api.call('market.details', { name: NAME, version: '1.0.0' });
      await api.call('market.install', { name: NAME, version: '1.0.0', sha256: first.selected.sha256 });
      await publish(api, '1.1.0', V2, { wallTimeMs: 20_000 });
    },
    browser: 'file',
  });

  it('is announced on Home, and its consent shows the new model, the changed limit and the code diff', async () => {
    const page = served.page;
    const notice = page.getByTestId('installed-notice').filter({ hasText: NAME });
    await eventually(() => notice.innerText()).toContain(`${NAME} 1.0.0 → 1.1.0 is available.`);
    await notice.getByRole('button', { name: 'Review the update' }).click();

    const consent = page.getByTestId('consent-dialog');
    await eventually(() => consent.getByRole('heading', { level: 2 }).innerText()).toBe(`Update ${NAME} to 1.1.0?`);
    const changes = consent.getByTestId('update-changes');
    await eventually(() => changes.getByRole('listitem').allInnerTexts()).toEqual(['Calls a new model: llama3.2:latest', 'Time: not set → 20.0 s']);
    await eventually(() => changes.getByTestId('code-diff').getAttribute('data-changes')).toBe('1');
    await screenshot(page, 'update-consent-diff');
    // Found by use (new-user trial): with the diff, the buttons were below the window's edge until the dialog was scrolled.
    const agree = consent.getByRole('button', { name: 'I agree, update' });
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: size.width, height: 600 });
    const box = (await agree.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(600);
    await screenshot(page, 'update-consent-short-window');
    await page.setViewportSize(size);

    await agree.click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Updated' }).innerText()).toContain(`Updated ${NAME} 1.1.0`);
    await new AppShell(page).go('Home');
    await eventually(() => page.getByTestId('installed-notice').count()).toBe(0);
    expect(served.browser.pageErrors).toEqual([]);
  });

  it('says in the Runner that the installed version was revoked, with the way out', async () => {
    await served.api.call('market.yank', { name: NAME, version: '1.1.0', reason: 'greets too loudly' });
    const page = served.page;
    await new AppShell(page).go('Runner');
    await page.getByRole('button').filter({ hasText: NAME }).filter({ hasText: '· installed' }).click();
    const notice = page.getByTestId('installed-notice');
    await eventually(() => notice.getAttribute('data-kind')).toBe('revoked');
    expect(await notice.innerText()).toContain(`${NAME} 1.1.0 was revoked by its author: greets too loudly.`);
    await eventually(() => notice.getByRole('button').innerText()).toBe('Install the newest good version (1.0.0)');
    expect(served.browser.pageErrors).toEqual([]);
  });
});
