import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { useServedApp } from './helpers/served-app.ts';
import { BuilderPage } from './pages/builder.ts';

// The Builder's publish dialog for a keyboard and screen-reader user, with the longest name a plugin can
// have: 64 letters and no dash, so no line breaks in it unless the dialog allows one anywhere.
const LONG_NAME = 'summarizeseverythingwithoutanydashesatallsonothingcanbreakitslin';
const LONG_DESCRIPTION = `Summarizes a page such as https://example.com/${'very-long-path-segment/'.repeat(6)}index.html in one line`;

describe('the publish dialog (Chromium against wasmforge serve)', () => {
  // The test signs in itself, straight into the Builder.
  const served = useServedApp({ signIn: async () => undefined });

  it('is a modal dialog named by its title that takes focus, wraps a 64-letter name inside its box at 1280 px, and closes on Escape back to Publish…', async () => {
    const page = served.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    const builder = new BuilderPage(page);
    await builder.open(served.app.signInUrl);
    expect(LONG_NAME).toHaveLength(64);
    await builder.setName(LONG_NAME);
    await builder.setManifestField('Description', LONG_DESCRIPTION);
    await eventually(() => builder.saveState().innerText()).toBe('Saved');

    await page.getByRole('button', { name: 'Publish…' }).click();
    // Named by its title (aria-labelledby), a dialog to assistive technology, and modal: the page behind is inert.
    const dialog = page.getByRole('dialog', { name: `Publish ${LONG_NAME} 0.1.0` });
    await dialog.waitFor();
    expect(await page.evaluate<boolean>(`document.querySelector('[data-testid="publish-dialog"]').matches(':modal')`)).toBe(true);
    expect(await page.evaluate<boolean>(`document.querySelector('[data-testid="publish-dialog"]').contains(document.activeElement)`)).toBe(true);

    // The name's first publish is reviewed first: the name and the description are in the dialog's text again.
    await builder.firstPublishReview().waitFor();
    await screenshot(page, 'publish-dialog-long-name');
    expect(await overflowingParts(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Publish…');
  });

  it('stays open on Escape while it publishes (Close is disabled then), and shows how the publish ended', async () => {
    const page = served.page;
    const builder = new BuilderPage(page);
    await builder.open(served.app.signInUrl);
    await builder.setName('escape-while-publishing');
    await builder.setManifestField('Description', 'Published while someone presses Escape');
    await eventually(() => builder.saveState().innerText()).toBe('Saved');
    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish escape-while-publishing 0.1.0' });
    await builder.firstPublishReview().waitFor();

    // The publish request is held back, so the dialog is still publishing when Escape is pressed.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/stream/market.publish*', async (route) => {
      await held;
      await route.continue();
    });
    await dialog.getByRole('button', { name: 'Publish for the first time' }).click();
    await eventually(() => dialog.getByRole('button', { name: /^(Cancel|Close)$/ }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await dialog.isVisible()).toBe(true);
    release();
    await eventually(() => page.getByTestId('publish-outcome').innerText()).toContain('Published escape-while-publishing 0.1.0');
    await page.unroute('**/api/stream/market.publish*');
  });
});

/** The parts of the open publish dialog that run past its box (or its box past the window), as "tag: text". */
function overflowingParts(page: Page): Promise<string[]> {
  // Page code as text: the e2e tests are type-checked without the DOM library.
  return page.evaluate(`(() => {
    const dialog = document.querySelector('[data-testid="publish-dialog"]');
    const box = dialog.getBoundingClientRect();
    const parts = [dialog, ...dialog.querySelectorAll('*')].filter((el) => el.getClientRects().length > 0);
    const describe = (el) => el.tagName.toLowerCase() + ': ' + el.textContent.trim().slice(0, 50);
    return parts.filter((el) => {
      const own = el.getBoundingClientRect();
      const visibleOverflow = getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1;
      return own.left < box.left - 1 || own.right > box.right + 1 || visibleOverflow || box.right > window.innerWidth;
    }).map(describe);
  })()`);
}
