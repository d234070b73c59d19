import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_DIR, CLI_ENTRY, REPO_ROOT } from '../../scripts/build-cli.js';
import { CLI_BIN } from '../support/cli.ts';

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
}

/** Every source and package the files loaded before any action hold (static imports from the entry). */
async function loadedByTheEntry(): Promise<string[]> {
  const meta = JSON.parse(await readFile(join(CLI_DIR, 'meta.json'), 'utf8')) as Metafile;
  const entry = Object.keys(meta.outputs).find((output) => join(REPO_ROOT, output) === CLI_ENTRY)!;
  return staticallyLoaded(meta, entry);
}

/** The sources and packages in `from` and every output it imports statically. */
function staticallyLoaded(meta: Metafile, entry: string): string[] {
  const loaded = new Set<string>();
  const visit = (output: string): void => {
    if (loaded.has(output)) return;
    loaded.add(output);
    for (const imported of meta.outputs[output]!.imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) loaded.add(`external:${imported.path}`);
      else visit(imported.path);
    }
  };
  visit(entry);
  return [...loaded].flatMap((output) => (output.startsWith('external:') ? [output] : Object.keys(meta.outputs[output]!.inputs)));
}

describe('the built CLI', () => {
  let home: string;
  beforeAll(async () => void (home = await mkdtemp(join(tmpdir(), 'wf-cli-bundle-'))));
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('loads commander and its own command table for --help, and nothing else', async () => {
    const loaded = await loadedByTheEntry();
    expect(loaded.filter((input) => !input.startsWith('node_modules/commander/')).sort())
      .toEqual(['src/cli/commands.ts', 'src/cli/index.ts']);
    const help = await execa(process.execPath, [CLI_BIN, '--help'], { env: { WASMFORGE_HOME: home } });
    for (const command of ['run', 'serve', 'publish', 'db', 'import']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('shows a command\'s own help from its file (options included)', async () => {
    const help = await execa(process.execPath, [CLI_BIN, 'help', 'run'], { env: { WASMFORGE_HOME: home } });
    expect(help.stdout).toContain('--input-file <file>');
    const unknown = await execa(process.execPath, [CLI_BIN, 'rnu'], { env: { WASMFORGE_HOME: home }, reject: false });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('(Did you mean run?)');
  });

  describe('a one-shot run of a plugin file', () => {
    let database: Server;
    let connections = 0;
    beforeAll(async () => {
      // Where DATABASE_URL points: a run that opened the marketplace would connect here.
      database = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => database.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => database.close(() => resolve())));

    it('starts one sandbox worker and opens no database', async () => {
      const plugin = join(home, 'hello.py');
      await writeFile(plugin, 'from platform_sdk import send_output\nsend_output("hello")\n');
      const port = (database.address() as { port: number }).port;
      const run = await execa(process.execPath, ['--import', pathToFileURL(join(REPO_ROOT, 'test/support/count-workers.mjs')).href, CLI_BIN, 'run', plugin], {
        stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/market` }, reject: false, timeout: 60_000,
      });
      expect(run.stdout).toBe('hello');
      expect(run.stderr).toMatch(/^worker threads started: 1$/m);
      expect(connections).toBe(0);
      // No local database either: the data folder holds the plugin and the sandbox's memory image, for the next run.
      expect((await readdir(home)).sort()).toEqual(['cache', 'hello.py']);
      expect(await readdir(join(home, 'cache', 'embedded'))).toEqual(['python-image.bin']);
    });

    it('loads no logging library: a one-shot run writes no log', async () => {
      const meta = JSON.parse(await readFile(join(CLI_DIR, 'meta.json'), 'utf8')) as Metafile;
      const run = Object.keys(meta.outputs).find((output) => /chunks\/run-[^/]+\.js$/.test(output))!;
      const app = Object.keys(meta.outputs).find((output) => /chunks\/app-[^/]+\.js$/.test(output))!;
      const loaded = [...staticallyLoaded(meta, run), ...staticallyLoaded(meta, app)];
      expect(loaded.filter((input) => /node_modules\/(pino|pino-roll|date-fns)\//.test(input))).toEqual([]);
    });
  });
});
