import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createLibrary } from '../../src/library/library.ts';
import { verifySigned } from '../../src/library/installed.ts';
import { loadSettings } from '../../src/library/settings.ts';
import { openPlugin } from '../../src/library/workspace.ts';
import { Marketplace } from '../../src/marketplace/service.ts';

/**
 * Opens a data folder through the library and marketplace APIs, as the next start would, and lists
 * everything half-written or inconsistent it finds (an empty list: the folder is consistent).
 */
export async function inspectDataFolder(home: string): Promise<string[]> {
  const problems: string[] = [];
  const check = async (what: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  const library = await createLibrary(home);
  try {
    await check('installed plugins', () => checkInstalled(library));
    const market = await Marketplace.open({ home, databaseUrl: null });
    try {
      await check('marketplace', () => checkMarketplace(market));
      await check('outbox', () => checkOutbox(market));
    } finally {
      await market.close();
    }
    await check('staging', async () => expectNone('staging folders', await listNames(join(home, 'staging'))));
  } finally {
    await library.close();
  }
  await check('workspace', () => checkWorkspace(join(home, 'workspace')));
  await check('settings', async () => void (await loadSettings(home)));
  await check('lock files', async () => expectNone('lock files after close', (await listNames(home)).filter((name) => name.startsWith('db.lock'))));
  await check('modes', () => checkPrivate(home));
  return problems;
}

/** Every installed copy verifies (sha256, signature, key) and runs: an install is all or nothing. */
async function checkInstalled(library: Awaited<ReturnType<typeof createLibrary>>): Promise<void> {
  for (const plugin of await library.listInstalled()) await library.verifiedCopy(plugin.name);
}

/** Every published version is whole: its code, manifest and signature agree. */
async function checkMarketplace(market: Marketplace): Promise<void> {
  for (const plugin of (await market.search({ pageSize: 100 })).items) {
    for (const version of await market.store.versions(plugin.name)) verifySigned(await market.store.fetch(plugin.name, version.version));
  }
}

/** A queued publish is delivered by the next flush, never refused and never doubled. */
async function checkOutbox(market: Marketplace): Promise<void> {
  await market.flushOutbox({ all: true });
  const items = await market.outboxItems();
  const undelivered = items.filter((item) => item.status !== 'delivered');
  expectNone('undelivered publishes', undelivered.map((item) => `${item.plugin}@${item.version} ${item.status} ${item.lastError?.message ?? ''}`));
  for (const item of items) {
    const versions = (await market.store.versions(item.plugin)).filter((version) => version.version === item.version);
    if (versions.length !== 1) throw new Error(`${item.plugin}@${item.version} is delivered but found ${versions.length} times`);
  }
}

/** Every workspace folder is a plugin whose files parse and whose manifest names its folder; no temporary file is left. */
async function checkWorkspace(root: string): Promise<void> {
  for (const name of await listNames(root)) {
    const plugin = await openPlugin(join(root, name));
    if (plugin.manifest.name !== name) throw new Error(`folder ${name} holds the plugin ${plugin.manifest.name}`);
    expectNone(`temporary files in ${name}`, (await listNames(join(root, name))).filter((file) => /\.(tmp|next)$/.test(file)));
  }
}

async function checkPrivate(home: string): Promise<void> {
  if (process.platform === 'win32') return;
  const open: string[] = [];
  for (const entry of await readdir(home, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if ((await stat(path)).mode & 0o077) open.push(path);
  }
  if ((await stat(home)).mode & 0o077) open.push(home);
  expectNone('entries readable by others', open);
}

async function listNames(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

function expectNone(what: string, found: string[]): void {
  if (found.length > 0) throw new Error(`${what}: ${found.join(', ')}`);
}
