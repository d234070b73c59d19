import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app.ts';

/** The Marketplace: search, cards, the detail view with its consent dialog, and the publishes panel. */
export class MarketplacePage {
  constructor(readonly page: Page) {}

  /** The Marketplace's list (it remembers an open detail view: back from it). */
  async open(): Promise<void> {
    await new AppShell(this.page).go('Marketplace');
    const back = this.page.getByRole('button', { name: '← All plugins' });
    await this.page.getByRole('search').or(back).waitFor();
    if (await back.isVisible()) await back.click();
    await this.page.getByRole('search').waitFor();
  }

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search plugins' }).fill(text);
  }

  card(name: string): Locator {
    return this.page.getByTestId('market-card').filter({ has: this.page.getByRole('heading', { name, exact: true }) });
  }

  offlineBadge(): Locator {
    return this.page.getByTestId('offline-badge');
  }

  async openDetail(name: string): Promise<void> {
    await this.card(name).getByRole('button', { name, exact: true }).click();
    await this.page.getByRole('heading', { level: 2, name: new RegExp(`^${name}\\b`) }).waitFor();
  }

  /** Install (or update) through the consent dialog; returns the dialog's text as the user read it. */
  async installWithConsent(button: RegExp = /^Install /): Promise<string> {
    await this.page.getByRole('toolbar', { name: 'Plugin actions' }).getByRole('button', { name: button }).click();
    const dialog = this.page.getByTestId('consent-dialog');
    await dialog.getByTestId('declarations').waitFor();
    const text = await dialog.innerText();
    await dialog.getByRole('button', { name: /^I agree/ }).click();
    await dialog.waitFor({ state: 'detached' });
    return text;
  }

  action(name: RegExp | string): Locator {
    return this.page.getByRole('toolbar', { name: 'Plugin actions' }).getByRole('button', { name });
  }

  publishes(): Locator {
    return this.page.getByTestId('outbox-item');
  }

  /** The names on the cards, in the order shown, once the search has settled. */
  async cardNames(): Promise<string[]> {
    await this.page.locator('.browse [role="status"][aria-label="Searching"]').waitFor({ state: 'detached' });
    return this.page.getByTestId('market-card').getByRole('heading', { level: 3 }).allInnerTexts();
  }

  async sortBy(label: 'Best match' | 'Most downloaded' | 'Newest'): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label });
  }

  async filterByTag(tag: string | undefined): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Filter by tag' }).selectOption(tag ?? '');
  }

  tagFilter(): Locator {
    return this.page.getByRole('combobox', { name: 'Filter by tag' });
  }

  pages(): Locator {
    return this.page.getByRole('navigation', { name: 'Result pages' });
  }
}
