import type { Locator, Page } from 'playwright-core';

/** The Runner: plugin list, input by type, Run/Cancel, result and history. */
export class RunnerPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Runner' }).click();
    await this.page.getByRole('navigation', { name: 'Plugins' }).waitFor();
  }

  async pick(name: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Plugins' }).getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
    await this.page.getByRole('heading', { name: new RegExp(`^${name}`) }).waitFor();
  }

  async setText(text: string): Promise<void> {
    await this.page.getByTestId('runner-input').fill(text);
  }

  run(): Promise<void> {
    return this.page.getByRole('button', { name: '▶ Run' }).click();
  }

  async finished(): Promise<string> {
    await this.page.locator('.run-status:not(.tone-busy):not(.tone-idle)').waitFor();
    return (await this.page.getByTestId('run-status').innerText()).trim();
  }

  output(): Locator {
    return this.page.getByTestId('output');
  }

  historyRows(): Locator {
    return this.page.getByTestId('history-row');
  }
}
