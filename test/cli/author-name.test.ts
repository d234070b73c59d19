import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { createTestDatabase, makePlugin, tempHome, UNREACHABLE_URL, type TestDatabase } from '../marketplace/helpers.ts';
import { CLI_BIN } from '../support/cli.ts';

// A new user found no way to set their display name from the CLI (the app has Settings › Author identity).
let db: TestDatabase;
let aliceUrl: string;
let home: Awaited<ReturnType<typeof tempHome>>;

beforeAll(async () => {
  db = await createTestDatabase();
  await migrateMarketplace(db.adminUrl);
  aliceUrl = await db.author('alice');
  home = await tempHome('cli-author');
});
afterAll(async () => {
  await db.drop();
  await home.remove();
});

// The author's URL holds her password, so it goes in DATABASE_URL (a --url with a password is refused).
const wasmforge = (args: string[], databaseUrl = aliceUrl) => execa(process.execPath, [CLI_BIN, ...args], {
  reject: false, stdin: 'ignore', timeout: 90_000, env: { WASMFORGE_HOME: home.path, DATABASE_URL: databaseUrl },
});
const savedName = async () => (JSON.parse(await readFile(join(home.path, 'settings.json'), 'utf8')) as { author: { displayName: string } }).author.displayName;
const marketplaceName = async () => (await db.admin.query<{ name: string | null }>(
  'SELECT display_name AS name FROM marketplace.authors WHERE role_name = $1', [new URL(aliceUrl).username]))[0]?.name;

describe('wasmforge author name, against a real PostgreSQL marketplace', () => {
  it('before a first publish: saves the name, which the first publish shares', { timeout: 120_000 }, async () => {
    const named = await wasmforge(['author', 'name', '  Alice Martin ']);
    expect([named.exitCode, named.stdout]).toEqual([0, expect.stringMatching(/^display name set to "Alice Martin"; the marketplace at postgres:\/\/wf_\w+_alice@\S+ shows it from your first publish there$/)]);
    expect(await savedName()).toBe('Alice Martin');
    expect(await marketplaceName()).toBeUndefined();
    const shown = await wasmforge(['author', 'show', '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ displayName: 'Alice Martin', fingerprint: expect.stringMatching(/^SHA256:/) });

    const plugin = await makePlugin(home.path, 'greeter');
    expect((await wasmforge(['publish', plugin, '--yes'])).exitCode).toBe(0);
    expect(await marketplaceName()).toBe('Alice Martin');
  });

  it('after a publish: the marketplace shows a new name at once, and "" removes it', { timeout: 120_000 }, async () => {
    const renamed = await wasmforge(['author', 'name', 'Alice M. Martin']);
    expect([renamed.exitCode, renamed.stdout]).toEqual([0, expect.stringMatching(/^display name set to "Alice M\. Martin"; the marketplace at postgres:\/\/wf_\w+_alice@\S+ shows it now$/)]);
    expect(await marketplaceName()).toBe('Alice M. Martin');
    const found = await wasmforge(['search', 'greeter', '--json']);
    expect(JSON.parse(found.stdout)).toMatchObject({ items: [{ name: 'greeter', ownerName: 'Alice M. Martin', ownerRole: expect.stringMatching(/^wf_\w+_alice$/) }] });
    // On a shared marketplace the role stays beside the name: it is who the database knows.
    expect((await wasmforge(['search', 'greeter'])).stdout).toMatch(/greeter\s+1\.0\.0\s+0\s+Alice M\. Martin \(wf_\w+_alice\)/);
    // list asks no marketplace: on a shared one it names the owner by their role.
    expect((await wasmforge(['install', 'greeter', '--yes'])).exitCode).toBe(0);
    expect((await wasmforge(['list'])).stdout).toMatch(/^greeter\s+1\.0\.0\s+wf_\w+_alice\s+marketplace\s+ok\s+/m);

    const removed = await wasmforge(['author', 'name', '']);
    expect([removed.exitCode, removed.stdout]).toEqual([0, expect.stringContaining('display name removed (your database role shows)')]);
    expect(await marketplaceName()).toBeNull();
    expect(await savedName()).toBe('');
  });

  it('refuses a name the marketplace would not take (exit 2), and keeps the one saved', async () => {
    await wasmforge(['author', 'name', 'Alice']);
    for (const name of ['Alice\nMartin', 'Alice\u001b[2J', 'x'.repeat(101)]) {
      const refused = await wasmforge(['author', 'name', name]);
      expect([refused.exitCode, refused.stderr]).toEqual([2, expect.stringMatching(/^error BAD_INPUT: That display name cannot be used: /)]);
    }
    expect(await savedName()).toBe('Alice');
  });

  it('saves the name when the marketplace is unreachable, and says the next publish shares it (exit 0)', async () => {
    const result = await wasmforge(['author', 'name', 'Alice Offline', '--json'], UNREACHABLE_URL);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ displayName: 'Alice Offline', sharing: 'failed', error: { code: 'DB_UNAVAILABLE' } });
    expect(await savedName()).toBe('Alice Offline');
  });
});

// PGlite's one role is `postgres` for everybody: "Ada (postgres)" named nothing (new-user trial).
describe('the local marketplace names its author by their display name only', () => {
  let local: Awaited<ReturnType<typeof tempHome>>;
  beforeAll(async () => {
    local = await tempHome('cli-author-local');
  });
  afterAll(() => local?.remove());
  const offline = (args: string[]) => execa(process.execPath, [CLI_BIN, ...args], {
    reject: false, stdin: 'ignore', timeout: 90_000, env: { WASMFORGE_HOME: local.path, DATABASE_URL: '' },
  });

  it('in search, in the install consent and in what install prints, never the role `postgres`', { timeout: 180_000 }, async () => {
    expect((await offline(['author', 'name', 'Ada Local'])).exitCode).toBe(0);
    expect((await offline(['publish', await makePlugin(local.path, 'local-greeter'), '--yes'])).exitCode).toBe(0);
    const search = await offline(['search', 'greeter']);
    expect(search.stdout).toMatch(/local-greeter\s+1\.0\.0\s+0\s+Ada Local\s+/);
    expect(search.stdout).not.toContain('postgres');
    expect(JSON.parse((await offline(['search', 'greeter', '--json'])).stdout)).toMatchObject({ items: [{ ownerName: 'Ada Local', ownerRole: null }] });
    const install = await offline(['install', 'local-greeter', '--yes']);
    expect(install.stderr).toMatch(/^local-greeter 1\.0\.0 by Ada Local, key /m);
    expect(install.stdout).toMatch(/^installed local-greeter@1\.0\.0 by Ada Local \(key /m);
    expect(`${install.stdout}${install.stderr}`).not.toContain('postgres');
    // list names the owner by the same rule (src/shared/owner-label.ts), with no marketplace asked.
    const listed = await offline(['list']);
    expect(listed.stdout).toMatch(/^local-greeter\s+1\.0\.0\s+Ada Local\s+marketplace\s+ok\s+/m);
    expect(listed.stdout).not.toContain('postgres');
    expect(JSON.parse((await offline(['list', '--json'])).stdout)).toMatchObject([{ name: 'local-greeter', ownerName: 'Ada Local', ownerRole: null }]);
  });
});
