import type { Locator, Page } from 'playwright-core';

/** The Runner: plugin list, input by type, Run/Cancel, result, copy/export and history. */
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

  async chooseFile(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByTestId('runner-file').setInputFiles(file);
  }

  filePreview(): Locator {
    return this.page.getByTestId('file-preview');
  }

  runButton(): Locator {
    return this.page.getByRole('main').getByRole('button', { name: '▶ Run' });
  }

  run(): Promise<void> {
    return this.runButton().click();
  }

  cancel(): Promise<void> {
    return this.page.getByRole('main').getByRole('button', { name: 'Cancel', exact: true }).click();
  }

  /** Waits until the sandbox has started the run (the status line names its engine). */
  async started(): Promise<void> {
    await this.page.locator('.run-status.tone-busy .engine').waitFor();
  }

  async finished(): Promise<string> {
    await this.page.locator('.run-status:not(.tone-busy):not(.tone-idle)').waitFor();
    return (await this.page.getByTestId('run-status').locator('[role="status"]').innerText()).trim();
  }

  output(): Locator {
    return this.page.getByTestId('output');
  }

  action(name: 'Copy' | 'Copied' | 'Export'): Locator {
    return this.page.getByRole('region', { name: 'Run result' }).getByRole('button', { name, exact: true });
  }

  historyRows(): Locator {
    return this.page.getByTestId('history-row');
  }
}
