import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OnDemand } from '../../src/app/on-demand.ts';
import { Library } from '../../src/library/library.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { tempHome } from '../marketplace/helpers.ts';

// Issue #10: bursts of API calls right around the stores' idle close. Every PGlite instance is
// counted, so two embedded PostgreSQL instances on one folder fail the test even when no call does.
const pglites = vi.hoisted(() => ({ started: 0, open: 0, most: 0 }));
vi.mock('@electric-sql/pglite', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@electric-sql/pglite')>();
  class CountedPGlite extends actual.PGlite {
    private counted = true;
    constructor(...args: ConstructorParameters<typeof actual.PGlite>) {
      super(...args);
      pglites.started += 1;
      pglites.open += 1;
      pglites.most = Math.max(pglites.most, pglites.open);
    }
    override async close(): Promise<void> {
      try {
        await super.close();
      } finally {
        if (this.counted) pglites.open -= 1;
        this.counted = false;
      }
    }
  }
  return { ...actual, PGlite: CountedPGlite };
});

/** A fixed seed: the same bursts and gaps on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const IDLE_MS = 40;
let home: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  home = await tempHome('race');
});
afterAll(async () => {
  await home?.remove();
});

describe('the local database under bursts of calls around the idle close', () => {
  it('opens once per process: every call succeeds and never two PostgreSQL instances on one folder', async () => {
    // The app's two stores, as LibraryAccess and MarketplaceAccess make them, with a short idle delay.
    const library = new OnDemand((folder: string) => Library.open(folder), IDLE_MS);
    const market = new OnDemand((folder: string) => Marketplace.open({ home: folder, databaseUrl: null }), IDLE_MS);
    const next = random(10);
    const failures: string[] = [];
    let calls = 0;
    const call = async (index: number): Promise<void> => {
      calls += 1;
      try {
        if (index % 2 === 0) await library.use(() => home.path, (lib) => lib.listRuns({ limit: 1 }));
        else await market.use(() => home.path, (mp) => mp.outboxItems());
      } catch (error) {
        failures.push(String((error as Error).message));
      }
    };
    for (let round = 0; round < 8; round += 1) {
      await Promise.all(Array.from({ length: 4 + Math.floor(next() * 6) }, (_, index) => call(index + round)));
      // Land the next burst right around the idle close: just before, at, or while it closes.
      await new Promise((done) => setTimeout(done, IDLE_MS - 10 + next() * 40));
    }
    await Promise.all([library.close(), market.close()]);
    expect({ calls, failures }).toEqual({ calls, failures: [] });
    expect(pglites.most).toBe(1);
    // The bursts really did come around idle closes: the database was closed and reopened along the way.
    expect(pglites.started).toBeGreaterThan(2);
    // An idle close the timer started may still be under way: once it is done, no lock and no temporary lock file is left.
    await vi.waitFor(async () => {
      expect(pglites.open).toBe(0);
      expect((await readdir(home.path)).filter((name) => name.startsWith('db.lock'))).toEqual([]);
    }, { timeout: 10_000 });
  }, 180_000);
});
