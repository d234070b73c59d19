import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../fake-ollama/server.ts';

const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;
let ollama: FakeOllama;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-approve-'));
  ollama = await FakeOllama.start({ models: [{ name: 'llama3:latest' }, { name: 'qwen2.5:1.5b' }] });
  await writeFile(join(home, 'asker.py'), 'from platform_sdk import call_ai, send_output\nsend_output(call_ai("llama3", "hi"))\n');
});
afterAll(async () => {
  await ollama?.close();
  await rm(home, { recursive: true, force: true });
});

const wasmforge = (...args: string[]) => execa(process.execPath, [bin, ...args], { cwd: home, reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, OLLAMA_HOST: ollama.url, DATABASE_URL: '' } });
const allowList = async () => (JSON.parse(await readFile(join(home, 'settings.json'), 'utf8')) as { ollama: { allowList: string[] } }).ollama.allowList;

describe('wasmforge models approve | revoke (issue #15)', () => {
  it('approves a model for every plugin, and revoking it refuses the next run with the fix named', { timeout: 120_000 }, async () => {
    const refused = await wasmforge('run', 'asker.py');
    expect([refused.exitCode, refused.stderr]).toEqual([1, expect.stringContaining('hint: Approve it on the Models screen, or with `wasmforge models approve llama3:latest`')]);

    const approved = await wasmforge('models', 'approve', 'llama3');
    expect([approved.exitCode, approved.stdout]).toEqual([0, expect.stringMatching(/^approved llama3; the allow-list: .*llama3/)]);
    expect(await allowList()).toContain('llama3');
    const ran = await wasmforge('run', 'asker.py');
    expect([ran.exitCode, ran.stdout]).toEqual([0, 'Answer from llama3:latest: hi']);

    const revoked = await wasmforge('models', 'revoke', 'llama3:latest');
    expect([revoked.exitCode, revoked.stdout]).toEqual([0, expect.stringMatching(/^revoked llama3:latest; the allow-list: /)]);
    expect((await allowList()).filter((model) => model === 'llama3' || model === 'llama3:latest')).toEqual([]);
    expect((await wasmforge('run', 'asker.py')).stderr).toContain('error MODEL_NOT_ALLOWED: Model "llama3" is not approved');
  });

  it('says when nothing changed: approving an approved model, revoking one not approved (exit 0 both)', { timeout: 60_000 }, async () => {
    expect((await wasmforge('models', 'approve', 'qwen2.5:1.5b')).exitCode).toBe(0);
    const before = await allowList();
    const again = await wasmforge('models', 'approve', 'qwen2.5:1.5b');
    expect([again.exitCode, again.stdout]).toEqual([0, expect.stringMatching(/^qwen2\.5:1\.5b was already approved; the allow-list: .*qwen2\.5:1\.5b/)]);
    expect(await allowList()).toEqual(before);
    // The same model by another spelling (llama3.2:latest is approved from the start).
    const latest = await wasmforge('models', 'approve', 'llama3.2');
    expect(latest.stdout).toMatch(/^llama3\.2 was already approved/);
    expect(await allowList()).toEqual(before);

    expect((await wasmforge('models', 'revoke', 'qwen2.5:1.5b')).stdout).toMatch(/^revoked qwen2\.5:1\.5b/);
    const notApproved = await wasmforge('models', 'revoke', 'qwen2.5:1.5b');
    expect([notApproved.exitCode, notApproved.stdout]).toEqual([0, expect.stringMatching(/^qwen2\.5:1\.5b was not approved; the allow-list: /)]);
  });

  it('lists model sizes in the app\'s units (GiB, not GB)', { timeout: 60_000 }, async () => {
    const { stdout } = await wasmforge('models');
    expect(stdout).toMatch(/llama3:latest .* \d+\.\d (GiB|MiB)/);
    expect(stdout).not.toMatch(/ [KMG]B\b/);
  });

  it('explains itself with examples', async () => {
    const help = await wasmforge('models', 'approve', '--help');
    expect(help.stdout).toContain('Examples:\n  wasmforge models approve llama3');
  });
});
