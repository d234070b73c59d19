import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { solidPng } from './helpers/png.ts';
import { BuilderPage } from './pages/builder.ts';
import { RunnerPage } from './pages/runner.ts';

// What goes into the Runner and what comes out: files (text, and an image a vision model is sent),
// copy and export of the output (and a clipboard the browser refuses), and cancelling a run.
const FILE_READER = `from platform_sdk import call_ai, get_input, send_output

data = get_input()
if data.startswith("data:image/"):
    send_output(data[:22] + " | " + call_ai("llava:latest", "Describe this image", images=[data]))
else:
    send_output("text: " + data.upper())
`;
const SHOUTER = 'from platform_sdk import get_input, send_output\nsend_output(get_input().upper())\n';
const JSON_MAKER = 'from platform_sdk import get_input, send_output\nsend_output({"words": get_input().split()})\n';
const SPINNER = 'while True:\n    pass\n';

// Runs in the page before its scripts: the browser of someone opening the server over plain http
// from another machine, where navigator.clipboard does not exist.
const NO_CLIPBOARD = `Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });`;

describe('Runner input and output in Chromium against wasmforge serve', () => {
  const served = useServedApp({
    seed: async (api) => {
      await api.call('plugins.save', { code: FILE_READER, manifest: { name: 'file-reader', inputType: 'file', inputHint: 'a text file or a picture', models: ['llava:latest'] } });
      await api.call('plugins.save', { code: SHOUTER, manifest: { name: 'shouter' } });
      await api.call('plugins.save', { code: JSON_MAKER, manifest: { name: 'word-splitter' } });
      await api.call('plugins.save', { code: SPINNER, manifest: { name: 'spinner' } });
      await api.call('models.approve', { name: 'llava:latest', approved: true });
    },
    // The Builder's URL signs in; the Runner is then a click away, as for a user.
    signIn: (page, app) => new BuilderPage(page).open(app.signInUrl),
  });
  let runner: RunnerPage;
  beforeEach(async () => {
    runner = new RunnerPage(served.page);
    await runner.open();
  });

  it('reads a text file, and hands an image to the plugin, which sends it to a vision model', async () => {
    await runner.pick('file-reader');
    await eventually(() => runner.runButton().isDisabled()).toBe(true);

    await runner.chooseFile({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from a file\nsecond line') });
    await eventually(() => runner.filePreview().innerText()).toContain('notes.txt');
    await eventually(() => runner.filePreview().locator('pre').innerText()).toBe('hello from a file\nsecond line');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    await eventually(() => runner.output().innerText()).toBe('text: HELLO FROM A FILE\nSECOND LINE');
    await screenshot(served.page, 'runner-file-text');

    const png = solidPng(48, 32, [220, 40, 40]);
    await runner.chooseFile({ name: 'red.png', mimeType: 'image/png', buffer: png });
    const preview = runner.filePreview().getByRole('img', { name: 'Preview of red.png' });
    await eventually(() => preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(48);
    const before = served.app.ollama.inferenceRequests().length;
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    await eventually(() => runner.output().innerText()).toBe('data:image/png;base64, | Answer from llava:latest: Describe this image');
    const sent = served.app.ollama.inferenceRequests().slice(before);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { images?: string[]; messages?: Array<{ images?: string[] }> };
    expect(body.images ?? body.messages?.at(-1)?.images).toEqual([png.toString('base64')]);
    await screenshot(served.page, 'runner-file-image');
    expect(served.browser.pageErrors).toEqual([]);
  });

  it('copies the output and exports it as a file (.json when it is JSON)', async () => {
    await served.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.app.url });
    await runner.pick('shouter');
    await runner.setText('copy me');
    await runner.run();
    await eventually(() => runner.output().innerText()).toBe('COPY ME');
    await runner.action('Copy').click();
    await runner.action('Copied').waitFor();
    await eventually(() => served.page.evaluate<string>('navigator.clipboard.readText()')).toBe('COPY ME');

    const text = served.page.waitForEvent('download');
    await runner.action('Export').click();
    expect((await text).suggestedFilename()).toBe('shouter-output.txt');
    expect(await readFile(await (await text).path(), 'utf8')).toBe('COPY ME');

    await runner.pick('word-splitter');
    await runner.setText('two words');
    await runner.run();
    await eventually(() => runner.output().innerText()).toBe('{"words": ["two", "words"]}');
    const json = served.page.waitForEvent('download');
    await runner.action('Export').click();
    expect((await json).suggestedFilename()).toBe('word-splitter-output.json');
    expect(JSON.parse(await readFile(await (await json).path(), 'utf8'))).toEqual({ words: ['two', 'words'] });
  });

  it('says so when the browser gives no clipboard, and offers the output selected and an export instead', async () => {
    await served.browser.context.addInitScript(NO_CLIPBOARD);
    await served.page.reload();
    await runner.open();
    await runner.pick('shouter');
    await runner.setText('no clipboard here');
    await runner.run();
    await eventually(() => runner.output().innerText()).toBe('NO CLIPBOARD HERE');
    await runner.action('Copy').click();

    const fallback = served.page.getByRole('dialog', { name: 'Could not copy' });
    await fallback.getByRole('alert').filter({ hasText: 'not a secure origin' }).waitFor();
    const selected = fallback.getByRole('textbox', { name: 'The output, selected for copying' });
    expect(await selected.inputValue()).toBe('NO CLIPBOARD HERE');
    // Selected and focused: Ctrl/⌘+C copies it.
    await eventually(() => selected.evaluate((element) => {
      const box = element as unknown as { selectionStart: number; selectionEnd: number; value: string; ownerDocument: { activeElement: unknown } };
      return box.ownerDocument.activeElement === box && box.selectionStart === 0 && box.selectionEnd === box.value.length;
    })).toBe(true);
    await screenshot(served.page, 'runner-copy-failed');

    const download = served.page.waitForEvent('download');
    await fallback.getByRole('button', { name: 'Export' }).click();
    expect(await readFile(await (await download).path(), 'utf8')).toBe('NO CLIPBOARD HERE');
    await fallback.getByRole('button', { name: 'Close' }).click();
    await fallback.waitFor({ state: 'detached' });
    await runner.action('Copy').waitFor();
  });

  it('cancels a run with the Cancel button or Esc, and the next run works', async () => {
    await runner.pick('spinner');
    await runner.run();
    await runner.started();
    await runner.cancel();
    await eventually(() => runner.finished()).toMatch(/^CANCELLED/);
    await eventually(() => runner.historyRows().first().innerText()).toContain('CANCELLED');
    await screenshot(served.page, 'runner-cancelled');

    await runner.run();
    await runner.started();
    await served.page.keyboard.press('Escape');
    await eventually(() => runner.finished()).toMatch(/^CANCELLED/);

    // A cancel right after Run, before the sandbox has even started, is not lost either.
    await runner.run();
    await served.page.keyboard.press('Escape');
    await eventually(() => runner.finished()).toMatch(/^CANCELLED/);

    await runner.pick('shouter');
    await runner.setText('still alive');
    await runner.run();
    await eventually(() => runner.output().innerText()).toBe('STILL ALIVE');
  });
});
