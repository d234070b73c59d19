import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { errorInfoOf } from '../src/shared/api/api-error.ts';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { SettingsPage } from './pages/settings.ts';

// A trial saved an Ollama host of `not a host!!`, and read the limits' refusals as the API's raw
// wording ("✖ may be at most 4294967296 …") or as "Not a number" for -5. Each is said beside its field.

/** What a screen reader reads after the field's label: the text tied to it with aria-describedby. */
async function described(field: Locator): Promise<string> {
  const ids = (await field.getAttribute('aria-describedby'))?.split(' ').filter(Boolean) ?? [];
  const texts = await Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).innerText()));
  return texts.join(' ').trim();
}

describe('the Settings screen checks what it is given (Chromium against wasmforge serve)', () => {
  const served = useServedApp();

  it('refuses an Ollama host that is not a URL or host[:port], beside the field, and keeps it out of settings.json', async () => {
    const settings = new SettingsPage(served.page);
    await settings.open();
    const host = settings.section('Ollama').getByRole('textbox', { name: 'Host' });
    await host.fill('not a host!!');
    await host.press('Enter');
    await eventually(() => described(host)).toMatch(/^The Ollama host must be/);
    expect(await host.getAttribute('aria-invalid')).toBe('true');
    const stored = await readFile(join(served.app.home, 'settings.json'), 'utf8').catch(() => '{}');
    expect(stored).not.toContain('not a host');

    // The API refuses it too, in the shape every refusal has, whoever sends it.
    const refusal = await served.api.call('settings.update', { ollama: { host: 'not a host!!' } }).then(() => undefined, errorInfoOf);
    expect(refusal).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^The Ollama host must be/) });
    await host.fill('gpu-box:11434');
    await eventually(() => described(host)).toBe('');
  });

  it('says a limit past its maximum and a negative time in words beside the field', async () => {
    const settings = new SettingsPage(served.page);
    await settings.open();
    const sandbox = settings.section('Sandbox');
    const memory = sandbox.getByRole('textbox', { name: 'Memory (MiB)', exact: true });
    const time = sandbox.getByRole('textbox', { name: 'Time (s)', exact: true });
    await memory.fill('5000');
    await time.fill('-5');
    await eventually(() => described(memory)).toBe('At most 4096 MiB');
    expect(await described(time)).toBe('Must be a positive number');
    expect(await sandbox.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    expect(await sandbox.innerText()).not.toContain('Not a number');

    await memory.fill('4096');
    await time.fill('30');
    await eventually(() => described(memory)).toBe('');
    await sandbox.getByRole('button', { name: 'Save', exact: true }).click();
    await sandbox.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(JSON.parse(await readFile(join(served.app.home, 'settings.json'), 'utf8')).sandbox.limits).toMatchObject({ memoryBytes: 4096 * 1024 * 1024, wallTimeMs: 30_000 });
  });
});
