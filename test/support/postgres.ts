import pg from 'pg';

/**
 * The machine's PostgreSQL (trust auth), shared by the marketplace tests, the browser tests and the
 * benchmark. Each only creates and drops its own throwaway databases and roles.
 */
export const PG_SERVER = process.env.WASMFORGE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';

export async function onPostgresServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database and returns the owner's URL to it. */
export async function createScratchDatabase(name: string): Promise<string> {
  await onPostgresServer((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  return `${PG_SERVER}/${name}`;
}

export async function dropScratchDatabase(name: string, roles: string[]): Promise<void> {
  await onPostgresServer(async (client) => {
    // A marketplace database has its own author group, named by the database's oid (schema-namespace.ts).
    const found = await client.query<{ oid: string }>('SELECT oid::text FROM pg_database WHERE datname = $1', [name]);
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    for (const role of roles) await client.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
    for (const { oid } of found.rows) await client.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(`wasmforge_author_${oid}`)}`);
  });
}
