import type { Locator, Page } from 'playwright-core';

export type ScreenName = 'Home' | 'Builder' | 'Runner' | 'Marketplace' | 'Models' | 'Settings';

/** The parts every screen shares: the navigation and the connection badges. */
export class AppShell {
  constructor(readonly page: Page) {}

  async go(screen: ScreenName): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen, exact: true }).click();
  }

  badge(which: 'ollama' | 'marketplace'): Locator {
    return this.page.getByTestId(`badge-${which}`).first();
  }
}
