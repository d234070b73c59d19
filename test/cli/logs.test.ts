import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, serveApp, type ServedApp } from '../../e2e/helpers/serve.ts';

// `wasmforge serve` keeps a log in its data folder, and `wasmforge doctor` names the newest file.
let app: ServedApp;
beforeAll(async () => {
  app = await serveApp({ buildUi: false });
}, 60_000);
afterAll(async () => app?.stop());

const doctor = async (home: string) => {
  const { stdout } = await execa(process.execPath, [join(REPO, 'bin', 'wasmforge.js'), 'doctor', '--json'], {
    cwd: REPO, reject: false, env: { WASMFORGE_HOME: home, OLLAMA_HOST: app.ollama.url, DATABASE_URL: '' },
  });
  return JSON.parse(stdout) as Array<{ check: string; ok: boolean; optional?: boolean; detail: string }>;
};

describe('logs of the CLI', () => {
  it('wasmforge serve writes leveled lines to <data folder>/logs/serve.1.log, private to its owner', () => {
    const file = join(app.home, 'logs', 'serve.1.log');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { msg: string; level: number; url?: string });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'serving', level: 30, url: app.url }));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('wasmforge doctor names the newest log file, and where they will be when there is none', async () => {
    const lines = await doctor(app.home);
    expect(lines.find((line) => line.check === 'logs')).toMatchObject({ ok: true, detail: expect.stringContaining(join(app.home, 'logs', 'serve.1.log')) });
    const fresh = mkdtempSync(join(tmpdir(), 'wasmforge-nolog-'));
    try {
      expect((await doctor(fresh)).find((line) => line.check === 'logs')).toMatchObject({ ok: false, optional: true, detail: expect.stringContaining(`no log yet; \`wasmforge serve\` and the desktop app write them to ${join(fresh, 'logs')}`) });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 90_000);
});
