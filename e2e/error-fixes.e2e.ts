import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { BuilderPage } from './pages/builder.ts';
import { RunnerPage } from './pages/runner.ts';

// Calls one model, named in a literal: the manifest must list exactly it.
const READER = `from platform_sdk import call_ai, get_input, send_output

# call_ai("qwen2.5:1.5b", "a comment is not a call")
send_output(call_ai("llama3.2:latest", "Read: " + get_input()))
`;
const plugin = (version: string) => ({
  code: `from platform_sdk import get_input, send_output\nsend_output("v${version}: " + get_input())\n`,
  manifest: { name: 'revoked-one', version, description: 'Says its version' },
});

describe('one-click fixes from typed error details (issue #12), in Chromium against wasmforge serve', () => {
  const served = useServedApp({ signIn: (page, app) => new BuilderPage(page).open(app.signInUrl) });
  let builder: BuilderPage;
  beforeEach(() => {
    builder = new BuilderPage(served.page);
  });

  it('the manifest lists the models the code calls, and a version not greater offers "Raise to … and publish" first', async () => {
    await builder.typeCode(READER);
    await builder.setName('model-reader');
    await builder.setManifestField('Description', 'Reads the input with a model');
    const manifest = served.page.getByRole('form', { name: 'Plugin manifest' });
    await eventually(() => manifest.getByRole('checkbox', { name: 'llama3.2:latest' }).isChecked()).toBe(true);
    await eventually(() => manifest.getByRole('checkbox', { checked: true }).count()).toBe(1);

    // A new name's first publish is shown first: what becomes public, and that the name stays the author's; Cancel sends nothing.
    await served.page.getByRole('button', { name: 'Publish…' }).click();
    await eventually(() => builder.firstPublishReview().innerText()).toContain('The name stays yours for good');
    expect(await builder.firstPublishReview().innerText()).toMatch(/Models it calls\s+llama3\.2:latest/);
    expect(await builder.firstPublishReview().innerText()).toMatch(/Code\s+all of its files: plugin\.py \(\d+ lines?, \d+ B\)/);
    await served.page.getByTestId('publish-dialog').getByRole('button', { name: 'Cancel' }).click();
    expect((await served.api.call('market.search', { text: 'model-reader' })).items).toEqual([]);
    expect(await builder.publish()).toBe('Published model-reader 0.1.0.');
    await eventually(() => builder.publishStep('syntax').innerText()).toContain('it calls llama3.2:latest');
    await builder.closePublish();

    expect(await builder.publish()).toMatch(/^Version not greater:/);
    const dialog = served.page.getByTestId('publish-dialog');
    const raise = dialog.getByRole('button', { name: 'Raise to 0.1.1 and publish' });
    expect(await raise.getAttribute('class')).toBe('primary');
    expect(await dialog.getByRole('button', { name: 'Close' }).getAttribute('class')).toBeNull();
    await screenshot(served.page, 'publish-raise-version');
    await raise.click();
    await eventually(() => served.page.getByTestId('publish-outcome').innerText()).toBe('Published model-reader 0.1.1.');

    // What an installer consents to is that list, and so is the workspace's plugin.json.
    const detail = await served.api.call('market.details', { name: 'model-reader' });
    expect(detail.selected.manifest.models).toEqual(['llama3.2:latest']);
    const saved = JSON.parse(await readFile(join(served.app.home, 'workspace', 'model-reader', 'plugin.json'), 'utf8')) as { models: string[] };
    expect(saved.models).toEqual(['llama3.2:latest']);
  });

  it("a plugin made from a template is not published with the template's description: its first publish asks for the author's own", async () => {
    const page = served.page;
    await page.getByRole('combobox', { name: 'New plugin from a template' }).selectOption('simple');
    await builder.setName('meeting-notes');
    await page.getByRole('button', { name: 'Publish…' }).click();
    const review = builder.firstPublishReview();
    const field = review.getByRole('textbox', { name: 'Description' });
    // Saving the new draft and asking the marketplace whether the name is new come first; slow on a busy machine.
    await field.waitFor({ timeout: 60_000 });
    expect(await review.innerText()).toContain('"Summarizes text in a few sentences" is the template\'s description: say what your plugin does.');
    const go = page.getByTestId('publish-dialog').getByRole('button', { name: 'Publish for the first time' });
    expect(await go.isDisabled()).toBe(true);
    // The template's text typed back is still the template's.
    await field.fill('Summarizes text in a few sentences');
    expect(await go.isDisabled()).toBe(true);
    await field.fill('Boils meeting notes down to three lines');
    await eventually(() => go.isDisabled()).toBe(false);
    await screenshot(page, 'publish-own-description');
    await go.click();
    await eventually(() => page.getByTestId('publish-outcome').innerText()).toMatch(/^Published meeting-notes /);

    const detail = await served.api.call('market.details', { name: 'meeting-notes' });
    expect(detail.selected.manifest.description).toBe('Boils meeting notes down to three lines');
    const saved = JSON.parse(await readFile(join(served.app.home, 'workspace', 'meeting-notes', 'plugin.json'), 'utf8')) as { description: string };
    expect(saved.description).toBe('Boils meeting notes down to three lines');
  });

  it('a revoked plugin offers "Install the newest good version", through its consent, and then runs', async () => {
    await served.api.stream('market.publish', plugin('1.0.0'), { onEvent: () => undefined });
    const first = await served.api.call('market.details', { name: 'revoked-one', version: '1.0.0' });
    await served.api.call('market.install', { name: 'revoked-one', version: '1.0.0', sha256: first.selected.sha256 });
    await served.api.stream('market.publish', plugin('1.1.0'), { onEvent: () => undefined });
    await served.api.call('market.yank', { name: 'revoked-one', version: '1.0.0', reason: 'broken' });

    const runner = new RunnerPage(served.page);
    await runner.open();
    await runner.pick('revoked-one');
    await runner.setText('hi');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^REVOKED/);
    const fix = served.page.getByTestId('error-fix').getByRole('button');
    await eventually(() => fix.innerText()).toBe('Install the newest good version (1.1.0)');
    await fix.click();

    const consent = served.page.getByTestId('consent-dialog');
    await eventually(() => consent.getByRole('heading', { level: 2 }).innerText()).toBe('Update revoked-one to 1.1.0?');
    await screenshot(served.page, 'revoked-install-newest');
    await consent.getByRole('button', { name: 'I agree, update' }).click();
    await eventually(async () => (await served.api.call('market.details', { name: 'revoked-one' })).installed?.version).toBe('1.1.0');

    const run = await served.api.stream('runs.run', { plugin: { source: 'installed', name: 'revoked-one' }, input: 'hi' }, { onEvent: () => undefined });
    expect(run.result.output).toBe('v1.1.0: hi');
  });
});
