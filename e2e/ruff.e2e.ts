import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { BuilderPage } from './pages/builder.ts';
import type { Page } from 'playwright-core';

const UNFORMATTED = "from platform_sdk import get_input, send_output\nwords=[ w for w in get_input().split( ) ]\nsend_output( ' '.join(words) )";
const FORMATTED = 'from platform_sdk import get_input, send_output\n\nwords = [w for w in get_input().split()]\nsend_output(" ".join(words))\n';

/**
 * The editor's whole text, blank lines included (innerText of the view drops them): every rendered
 * line in order of its place on screen (Monaco may keep them out of DOM order). Page code as text:
 * this file is type-checked without the DOM library.
 */
function editorText(page: Page): Promise<string> {
  return page.evaluate<string>(`[...document.querySelectorAll('.monaco-editor .view-lines .view-line')]
    .map((line) => [parseFloat(line.style.top), line.textContent.replace(/\\u00a0/g, ' ')])
    .sort((a, b) => a[0] - b[0]).map(([, text]) => text).join('\\n')`);
}

describe('Ruff in the Builder (real Chromium, the built renderer under its CSP)', () => {
  let builder: BuilderPage;
  /** What the page's workers logged as warnings or errors (Ruff's: a .wasm served with the wrong type is one). */
  let workerComplaints: string[];
  const served = useServedApp({
    // Listening before the page loads: Ruff's worker starts with it.
    signIn: async (page, app) => {
      workerComplaints = [];
      page.on('worker', (worker) => worker.on('console', (message) => {
        if (message.type() === 'warning' || message.type() === 'error') workerComplaints.push(message.text());
      }));
      await new BuilderPage(page).open(app.signInUrl);
    },
  });
  beforeEach(() => {
    builder = new BuilderPage(served.page);
  });

  it('lints as you type: an unused import and an undefined name get markers with their Ruff codes', async () => {
    await builder.typeCode('import textwrap\nfrom platform_sdk import send_output\n\nsend_output(undefined_answer)\n');
    // F821 fails at run time: an error squiggle; F401 is a warning, faded as unused code.
    await builder.squiggles().first().waitFor();
    await served.page.locator('.monaco-editor .squiggly-warning').first().waitFor();
    await builder.hoverWord('undefined_answer');
    await eventually(() => served.page.locator('.monaco-hover').first().innerText()).toMatch(/Undefined name `undefined_answer`[\s\S]*ruff\(F821\)/);
    await screenshot(served.page, 'builder-ruff-lint');
    await served.page.mouse.move(0, 0);
    await builder.hoverWord('textwrap');
    await eventually(() => served.page.locator('.monaco-hover').first().innerText()).toMatch(/`textwrap` imported but unused[\s\S]*ruff\(F401\)/);

    // Fixed code: Ruff's markers go (the sandbox's syntax check has nothing to say either).
    await builder.typeCode('from platform_sdk import send_output\n\nsend_output("ok")\n');
    await eventually(() => served.page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').count()).toBe(0);
    expect(served.browser.pageErrors).toEqual([]);
    expect(workerComplaints).toEqual([]);
  });

  it('formats the document with Shift+Alt+F and with the Format Document command, as one undoable edit', async () => {
    await builder.typeCode(UNFORMATTED);
    await served.page.keyboard.press('Shift+Alt+F');
    await eventually(() => editorText(served.page)).toBe(FORMATTED);
    await served.page.keyboard.press('ControlOrMeta+Z');
    await eventually(() => editorText(served.page)).toBe(UNFORMATTED);

    await served.page.keyboard.press('F1');
    await served.page.keyboard.insertText('Format Document');
    await served.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Format Document' }).first().waitFor();
    await served.page.keyboard.press('Enter');
    await eventually(() => editorText(served.page)).toBe(FORMATTED);
    expect(served.browser.pageErrors).toEqual([]);
  });

  it('formats on save when the switch is on (off by default, remembered), and never on autosave', async () => {
    const formatSwitch = served.page.getByTestId('format-on-save');
    expect(await formatSwitch.isChecked()).toBe(false);
    await formatSwitch.check();
    await builder.setName('e2e-ruff-format');
    await builder.typeCode(UNFORMATTED);
    const file = join(served.app.home, 'workspace', 'e2e-ruff-format', 'plugin.py');
    // Autosave keeps the code as typed: formatting under the cursor would fight the typing.
    await eventually(() => readFile(file, 'utf8').catch(() => '')).toBe(UNFORMATTED);

    await served.page.locator('.monaco-editor').first().click();
    await served.page.keyboard.press('ControlOrMeta+S');
    await eventually(() => readFile(file, 'utf8')).toBe(FORMATTED);
    await eventually(() => editorText(served.page)).toBe(FORMATTED);
    await builder.saveState().filter({ hasText: /^Saved$/ }).waitFor();

    await served.page.reload();
    await builder.editorReady();
    expect(await served.page.getByTestId('format-on-save').isChecked()).toBe(true);
    expect(served.browser.pageErrors).toEqual([]);
  });
});
