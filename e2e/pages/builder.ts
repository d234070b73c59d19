import type { Locator, Page } from 'playwright-core';
import { hoverMonacoWord, monacoText, typeIntoMonaco } from '../helpers/monaco.ts';

/** The Builder as a user sees it: the editor, the manifest, the input, Run/Cancel and the result panes. */
export class BuilderPage {
  constructor(readonly page: Page) {}

  /** Signs in straight into the Builder (the plain sign-in URL lands on Home). */
  async open(signInUrl: string): Promise<void> {
    await this.page.goto(builderUrl(signInUrl));
    await this.editorReady();
  }

  /** From another screen, through the navigation. */
  async show(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Builder' }).click();
    await this.editorReady();
  }

  /** Monaco is loaded and takes keys. */
  async editorReady(): Promise<void> {
    await this.page.locator('.code-editor[data-state="ready"] .monaco-editor textarea').first().waitFor({ state: 'attached' });
  }

  typeCode(code: string): Promise<void> {
    return typeIntoMonaco(this.page, code);
  }

  code(): Promise<string> {
    return monacoText(this.page);
  }

  hoverWord(word: string): Promise<void> {
    return hoverMonacoWord(this.page, word);
  }

  /** Opens a saved workspace plugin through the toolbar's Open menu. */
  async openPlugin(name: string): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Open a workspace plugin' }).selectOption(name);
    await this.page.locator('details.manifest > summary', { hasText: name }).waitFor();
  }

  /** What the Open menu offers, as shown ("name version"), without its placeholder. */
  async openMenuEntries(): Promise<string[]> {
    const options = this.page.getByRole('combobox', { name: 'Open a workspace plugin' }).locator('option:not([disabled])');
    return (await options.allInnerTexts()).map((text) => text.trim());
  }

  async setName(name: string): Promise<void> {
    const details = this.page.locator('details.manifest');
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    await this.page.getByLabel('Name', { exact: true }).fill(name);
  }

  async setInput(text: string): Promise<void> {
    await this.page.getByTestId('builder-input').fill(text);
  }

  run(): Promise<void> {
    return this.page.getByRole('button', { name: '▶ Run' }).click();
  }

  runWithKeyboard(): Promise<void> {
    return this.page.keyboard.press('ControlOrMeta+Enter');
  }

  cancel(): Promise<void> {
    return this.page.getByRole('button', { name: 'Cancel' }).click();
  }

  status(): Locator {
    return this.page.getByTestId('run-status');
  }

  /** Waits until the run is over and returns the status line's text. */
  async finished(): Promise<string> {
    await this.page.locator('.run-status:not(.tone-busy):not(.tone-idle)').waitFor();
    return (await this.status().innerText()).trim();
  }

  async showPane(name: 'Output' | 'Logs' | 'AI trace'): Promise<Locator> {
    await this.page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
    return this.page.getByRole('tabpanel');
  }

  output(): Locator {
    return this.page.getByTestId('output');
  }

  saveState(): Locator {
    return this.page.getByTestId('save-state');
  }

  async setManifestField(label: 'Version' | 'Description' | 'Tags', value: string): Promise<void> {
    const details = this.page.locator('details.manifest');
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    await this.page.getByRole('form', { name: 'Plugin manifest' }).getByLabel(label, { exact: true }).fill(value);
  }

  async tickModel(model: string): Promise<void> {
    await this.page.getByRole('form', { name: 'Plugin manifest' }).getByRole('checkbox', { name: model }).check();
  }

  /** Publish…: waits for the dialog's outcome and returns its text. */
  /** Publishes, going ahead after the review a new name's first publish shows (firstPublishReview() checks it). */
  async publish(): Promise<string> {
    await this.page.getByRole('button', { name: 'Publish…' }).click();
    const outcome = this.page.getByTestId('publish-outcome');
    const review = this.firstPublishReview();
    await outcome.locator('.notice').or(review).first().waitFor();
    if (await review.isVisible()) await this.page.getByTestId('publish-dialog').getByRole('button', { name: 'Publish for the first time' }).click();
    await outcome.locator('.notice').waitFor();
    return (await outcome.innerText()).trim();
  }

  firstPublishReview(): Locator {
    return this.page.getByTestId('first-publish-review');
  }

  publishStep(step: 'manifest' | 'syntax' | 'version' | 'signature' | 'deliver'): Locator {
    return this.page.getByTestId(`publish-step-${step}`);
  }

  async closePublish(): Promise<void> {
    await this.page.getByTestId('publish-dialog').getByRole('button', { name: 'Close' }).click();
    await this.page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
  }

  squiggles(): Locator {
    return this.page.locator('.monaco-editor .squiggly-error');
  }
}

/** `…/#token=…` → `…/#/builder&token=…`: a deep link keeps its screen through sign-in. */
export function builderUrl(signInUrl: string): string {
  return signInUrl.replace('/#token=', '/#/builder&token=');
}
