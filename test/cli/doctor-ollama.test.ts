import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;
let closedPort: number;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-doctor-'));
  // A port nothing listens on: bound, read, closed.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(() => rm(home, { recursive: true, force: true }));

const ollamaLine = async (env: Record<string, string>) => {
  const { stdout } = await execa(process.execPath, [bin, 'doctor', '--json'], { reject: false, env: { WASMFORGE_HOME: home, DATABASE_URL: '', OLLAMA_HOST: '', ...env } });
  return (JSON.parse(stdout) as Array<{ check: string; ok: boolean; fix?: string }>).find((line) => line.check === 'ollama');
};

describe('wasmforge doctor: the Ollama fix says where to change the host (issue #12)', () => {
  it('names OLLAMA_HOST when the host came from it', async () => {
    const line = await ollamaLine({ OLLAMA_HOST: `http://127.0.0.1:${closedPort}` });
    expect(line).toMatchObject({ ok: false, fix: 'Start Ollama (`ollama serve`), or point the OLLAMA_HOST variable at where it runs' });
  });

  it('names both the Settings screen and OLLAMA_HOST when neither set it', { timeout: 60_000 }, async () => {
    const line = await ollamaLine({});
    // Nothing listens on Ollama's default port on the test machine.
    expect(line?.ok).toBe(false);
    expect(line?.fix).toContain('Settings › Ollama host (or the OLLAMA_HOST variable, for the CLI)');
  });
});
