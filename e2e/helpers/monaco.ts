import type { Page } from 'playwright-core';

/**
 * Types code into the Monaco editor as a user would (focus, select all, type). insertText is
 * used per line with Enter between, and the auto-indent Monaco adds after Enter is cleared first,
 * so the file ends up exactly as given.
 */
export async function typeIntoMonaco(page: Page, code: string): Promise<void> {
  const editor = page.locator('.monaco-editor').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  const lines = code.split('\n');
  for (const [index, line] of lines.entries()) {
    if (index > 0) {
      await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
    }
    if (line) await page.keyboard.insertText(line);
  }
}

/** The visible text of the editor (Monaco renders spaces as no-break spaces). */
export async function monacoText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}
