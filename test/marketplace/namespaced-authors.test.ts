import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAuthor, admitExistingAuthor, authorGroup, listAuthors, migrateMarketplace, resetAuthorPassword } from '../../src/marketplace/admin.ts';
import { migrate } from '../../src/marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../../src/marketplace/db/schema.ts';
import { attempt, createTestDatabase, type TestDatabase } from './helpers.ts';

/**
 * Two marketplaces on one PostgreSQL server. Roles are global to a server, so an author admitted
 * to one marketplace must not become an author of every other marketplace on that server.
 */
let team: TestDatabase;
let other: TestDatabase;
const clients: pg.Client[] = [];

async function connect(url: string, database: string): Promise<pg.Client> {
  const target = new URL(url);
  target.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: target.toString() });
  client.on('error', () => undefined); // dropping a test database ends its sessions
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  [team, other] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await migrateMarketplace(team.adminUrl);
  await migrateMarketplace(other.adminUrl);
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  // One after the other: both drop roles, some shared (an author admitted to both), and PostgreSQL refuses concurrent drops of one role.
  await team?.drop();
  await other?.drop();
});

describe('authors belong to one marketplace', () => {
  it('gives an author of one marketplace nothing in another on the same server', async () => {
    const aliceUrl = await team.author('alice');
    const atHome = await connect(aliceUrl, team.name);
    expect(await attempt(atHome, 'SELECT count(*) FROM marketplace.plugins')).toBe('ok');

    const abroad = await connect(aliceUrl, other.name);
    expect(await attempt(abroad, 'SELECT count(*) FROM marketplace.plugins')).toBe('42501');
    expect(await attempt(abroad, 'SELECT marketplace.author_nonce()')).toBe('42501');
    expect(await attempt(abroad, `INSERT INTO marketplace.plugins (name, description) VALUES ('taken-abroad', 'x')`)).toBe('42501');
    expect(await attempt(abroad, 'SELECT marketplace.record_download($1)', ['anything'])).toBe('42501');
    expect(await other.admin.query(`SELECT name FROM marketplace.plugins WHERE name = 'taken-abroad'`)).toEqual([]);
  });

  it('names each marketplace its own group, and lists only its own authors', async () => {
    const [teamGroup, otherGroup] = [await authorGroup(team.admin), await authorGroup(other.admin)];
    expect(teamGroup).toMatch(/^wasmforge_author_\d+$/);
    expect(teamGroup).not.toBe(otherGroup);
    await other.author('bob');
    const listed = (await listAuthors(other.admin)).map((author) => author.role);
    expect(listed).toContain(`wf_${other.name.split('_').at(-1)}_bob`);
    expect(listed.some((role) => role.endsWith('_alice'))).toBe(false);
  });

  it('admits an author of another marketplace only when asked, and resets only its own authors\' passwords', async () => {
    const carol = `wf_${team.name.split('_').at(-1)}_carol`;
    await team.author('carol');
    await expect(addAuthor(other.admin, carol)).rejects.toMatchObject({ code: 'ALREADY_EXISTS', hint: expect.stringContaining('--existing') });
    await expect(resetAuthorPassword(other.admin, carol)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await admitExistingAuthor(other.admin, carol);
    expect((await listAuthors(other.admin)).map((author) => author.role)).toContain(carol);
    await expect(addAuthor(team.admin, carol)).rejects.toMatchObject({ code: 'ALREADY_EXISTS', hint: expect.stringContaining('--reset-password') });
    const reset = await resetAuthorPassword(team.admin, carol);
    expect(reset.password).toMatch(/^[\w-]{20,}$/);
  });
});

describe("authors' display names", () => {
  it('lets an author name only themselves, within bounds, and nobody from another marketplace', async () => {
    const [daveUrl, erinUrl] = [await team.author('dave'), await team.author('erin')];
    const [dave, erin] = [new URL(daveUrl).username, new URL(erinUrl).username];
    for (const role of [dave, erin]) {
      await team.admin.query('INSERT INTO marketplace.authors (role_name, public_key, fingerprint) VALUES ($1, $2, $3)', [role, 'B'.repeat(43), `SHA256:${role}`.padEnd(20, 'x')]);
    }
    const asDave = await connect(daveUrl, team.name);
    expect(await attempt(asDave, 'SELECT marketplace.set_display_name($1)', ['Dave Example'])).toBe('ok');
    expect(await attempt(asDave, `UPDATE marketplace.authors SET display_name = 'Erin is Dave' WHERE role_name = '${erin}'`)).toBe('42501');
    expect(await attempt(asDave, 'SELECT marketplace.set_display_name($1)', ['bell\u0007'])).toBe('23514');
    expect(await attempt(asDave, 'SELECT marketplace.set_display_name($1)', ['x'.repeat(101)])).toBe('23514');
    const names = await team.admin.query<{ role_name: string; display_name: string | null }>(
      'SELECT role_name, display_name FROM marketplace.authors WHERE role_name = ANY($1) ORDER BY role_name', [[dave, erin]]);
    expect(names).toEqual([{ role_name: dave, display_name: 'Dave Example' }, { role_name: erin, display_name: null }]);
    expect(await attempt(await connect(daveUrl, other.name), 'SELECT marketplace.set_display_name($1)', ['Dave abroad'])).toBe('42501');
  });
});

describe('upgrading a marketplace whose authors shared one group', () => {
  it('keeps the authors who used it, and names the others for the owner to admit instead of admitting them', async () => {
    const legacy = await createTestDatabase();
    try {
      await migrate(legacy.admin, { ...MARKETPLACE_MIGRATIONS, migrations: MARKETPLACE_MIGRATIONS.migrations.slice(0, 8) });
      const [activeUrl, idleUrl] = [await legacy.author('active', { legacy: true }), await legacy.author('idle', { legacy: true })];
      // The active author registered a key here (as the app did before proofs existed).
      await legacy.admin.query('INSERT INTO marketplace.authors (role_name, public_key, fingerprint) VALUES ($1, $2, $3)',
        [new URL(activeUrl).username, 'A'.repeat(43), 'f'.repeat(32)]);

      const { applied, notAdmitted } = await migrateMarketplace(legacy.adminUrl);
      // Every migration after the eighth, whatever came later (9: namespaces, 10: display names, 11: files, …).
      expect(applied).toEqual(MARKETPLACE_MIGRATIONS.migrations.slice(8).map((m) => m.version));
      const idleRole = new URL(idleUrl).username;
      expect(notAdmitted).toContain(idleRole);
      expect(notAdmitted).not.toContain(new URL(activeUrl).username);
      expect(await attempt(await connect(activeUrl, legacy.name), 'SELECT count(*) FROM marketplace.plugins')).toBe('ok');
      expect(await attempt(await connect(idleUrl, legacy.name), 'SELECT count(*) FROM marketplace.plugins')).toBe('42501');

      await admitExistingAuthor(legacy.admin, idleRole);
      expect(await attempt(await connect(idleUrl, legacy.name), 'SELECT count(*) FROM marketplace.plugins')).toBe('ok');
    } finally {
      await legacy.drop();
    }
  });
});
