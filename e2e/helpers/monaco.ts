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

/**
 * Rests the mouse on a word in the editor. Monaco merges neighbouring tokens of one colour into a
 * single span ("answer = call_ai"), so the word's own box is measured with a DOM Range.
 */
export async function hoverMonacoWord(page: Page, word: string): Promise<void> {
  const box = await page.evaluate<{ x: number; y: number } | null>(`(() => {
    const word = ${JSON.stringify(word)};
    const walker = document.createTreeWalker(document.querySelector('.monaco-editor .view-lines'), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    }
    return null;
  })()`);
  if (!box) throw new Error(`"${word}" is not on screen in the editor`);
  await page.mouse.move(box.x, box.y);
}
