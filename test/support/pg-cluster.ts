import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { execa } from 'execa';

/** Why no throwaway cluster can be made here (Debian's postgresql-common, run as root), or undefined. */
export function pgClusterUnavailable(): string | undefined {
  try {
    execFileSync('which', ['pg_createcluster'], { stdio: 'ignore' });
  } catch {
    return 'pg_createcluster not found (Debian\'s postgresql-common makes throwaway clusters)';
  }
  return process.getuid?.() === 0 ? undefined : 'pg_createcluster needs root to make a throwaway cluster';
}

/**
 * A throwaway PostgreSQL cluster of its own (Debian's pg_createcluster), for tests that stop and
 * start the server itself: the shared one at 5432 serves the other test files meanwhile.
 */
export class PgCluster {
  private constructor(readonly version: string, readonly name: string, readonly port: number, readonly password: string | null) {}

  /**
   * `scram`: TCP logins need a password (scram-sha-256, as a real shared server asks), the
   * superuser `postgres` has `password`; the Unix socket stays trust, to set that password up.
   */
  static async create(label: string, options: { auth?: 'trust' | 'scram'; password?: string } = {}): Promise<PgCluster> {
    const { stdout } = await execa('ls', ['/usr/lib/postgresql']);
    const version = stdout.split('\n').filter(Boolean).sort().at(-1)!;
    const port = await freePort();
    const scram = options.auth === 'scram';
    const password = scram ? options.password ?? 'cluster-secret' : null;
    const cluster = new PgCluster(version, `wf_${label}_${process.pid}_${port}`, port, password);
    const auth = scram ? ['--auth-local=trust', '--auth-host=scram-sha-256'] : ['--auth=trust'];
    await execa('pg_createcluster', [version, cluster.name, '-p', String(port), '--start-conf=manual', '--', ...auth], { env: { LC_ALL: 'C.UTF-8' } });
    await cluster.start();
    if (password !== null) await cluster.psql(`ALTER ROLE postgres PASSWORD '${password.replaceAll("'", "''")}'`);
    return cluster;
  }

  /** The superuser's URL over TCP (with its password on a scram cluster). */
  url(database = 'postgres', user = 'postgres'): string {
    const password = this.password === null ? '' : `:${encodeURIComponent(this.password)}`;
    return `postgres://${user}${password}@127.0.0.1:${this.port}/${database}`;
  }

  /** Runs SQL as the superuser over the Unix socket (trust there, whatever TCP asks). */
  psql(sql: string, database = 'postgres'): Promise<unknown> {
    return execa('psql', ['-h', '/var/run/postgresql', '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
  }

  /** As a crash or a power cut would: no checkpoint, every connection dropped. */
  stop(mode: 'immediate' | 'fast' = 'immediate'): Promise<unknown> {
    return this.ctl('stop', '-m', mode);
  }

  start(): Promise<unknown> {
    return this.ctl('start');
  }

  async drop(): Promise<void> {
    await execa('pg_dropcluster', ['--stop', this.version, this.name], { reject: false });
  }

  private ctl(action: string, ...options: string[]): Promise<unknown> {
    return execa('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, action, ...options]);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
