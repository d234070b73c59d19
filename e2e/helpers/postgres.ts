import { randomBytes } from 'node:crypto';
import { createScratchDatabase, dropScratchDatabase } from '../../test/support/postgres.ts';
import { addAuthor, migrateMarketplace, withPool } from '../../src/marketplace/admin.ts';


export interface E2eDatabase {
  name: string;
  /** The owner's URL (postgres), for migrations and checks. */
  adminUrl: string;
  /** Creates an author's login role, as `wasmforge db add-author` does, and returns its URL through `host:port`. */
  author(label: string, via?: { host: string; port: number }): Promise<{ role: string; url: string }>;
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A throwaway marketplace database `wasmforge_e2e_<random>`, migrated by its owner; dropped (with its roles) afterwards. */
export async function createE2eDatabase(): Promise<E2eDatabase> {
  const suffix = randomBytes(4).toString('hex');
  const name = `wasmforge_e2e_${suffix}`;
  const adminUrl = await createScratchDatabase(name);
  await migrateMarketplace(adminUrl);
  const roles: string[] = [];
  return {
    name,
    adminUrl,
    async author(label, via) {
      const role = `wf_e2e_${suffix}_${label}`;
      const { password } = await withPool(adminUrl, (db) => addAuthor(db, role));
      roles.push(role);
      const url = new URL(adminUrl);
      if (via) {
        url.hostname = via.host;
        url.port = String(via.port);
      }
      url.username = role;
      url.password = password;
      return { role, url: url.toString() };
    },
    query: (sql, params) => withPool(adminUrl, (db) => db.query(sql, params)),
    async drop() {
      await dropScratchDatabase(name, roles);
    },
  };
}

