import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app.ts';

/** The Models screen: the Ollama connection, the pull form with its progress bar, the model table. */
export class ModelsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await new AppShell(this.page).go('Models');
    await this.page.getByTestId('ollama-connection').waitFor();
  }

  connection(): Locator {
    return this.page.getByTestId('ollama-connection');
  }

  async startPull(name: string): Promise<void> {
    await this.page.getByLabel('Model name to pull').fill(name);
    await this.page.getByRole('button', { name: 'Pull', exact: true }).click();
  }

  progressBar(): Locator {
    return this.page.getByTestId('pull-progress').locator('progress');
  }

  row(name: string): Locator {
    return this.page.getByTestId('model-row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }
}
