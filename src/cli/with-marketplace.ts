import { Marketplace } from '../marketplace/service.ts';
import type { CheckSyntax } from '../marketplace/publish.ts';

export interface SyntaxChecker {
  checkSyntax: CheckSyntax;
  close(): Promise<void>;
}

export interface CliMarketplaceOptions {
  databaseUrl?: string;
  /** Publishing and exporting a folder need the sandbox's syntax check; the command supplies it. */
  openSandbox?: () => Promise<SyntaxChecker>;
}

/**
 * For the commands that work on the marketplace itself (db, export, import), outside the app's API:
 * opens the marketplace (and, when asked, a sandbox for syntax checks), runs `work`, closes both.
 */
export async function withMarketplace<T>(options: CliMarketplaceOptions, work: (market: Marketplace) => Promise<T>): Promise<T> {
  const sandbox = options.openSandbox ? await options.openSandbox() : null;
  try {
    const market = await Marketplace.open({ databaseUrl: options.databaseUrl, checkSyntax: sandbox?.checkSyntax });
    try {
      return await work(market);
    } finally {
      await market.close();
    }
  } finally {
    await sandbox?.close();
  }
}
