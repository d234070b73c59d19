import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app.ts';

/** The Settings screen, section by section. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await new AppShell(this.page).go('Settings');
    await this.page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  }

  section(title: string): Locator {
    return this.page.locator('section.settings-section').filter({ has: this.page.getByRole('heading', { name: title, exact: true }) });
  }

  /** Types the URL, tests it, saves it; returns what "Test connection" said. */
  async connectMarketplace(url: string): Promise<string> {
    const section = this.section('Marketplace');
    await section.getByRole('textbox', { name: 'Database URL' }).fill(url);
    await section.getByRole('button', { name: 'Test connection' }).click();
    const result = await section.getByTestId('database-test').innerText();
    await section.getByRole('button', { name: 'Save', exact: true }).click();
    await section.getByText('Saved', { exact: true }).waitFor();
    return result;
  }
}
