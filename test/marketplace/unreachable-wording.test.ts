import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlugin, tempHome, UNREACHABLE_URL } from './helpers.ts';

/**
 * A new user's trial: an unreachable marketplace was reported with an internal action label in
 * parentheses ("is unreachable (prepare the marketplace schema)", "(publish summarize@0.1.0)") and
 * doctor said "unreachable (The marketplace database is unreachable (check the marketplace): …)".
 * Each is one plain sentence now, naming the database (never a password) where it is known.
 */
const bin = fileURLToPath(new URL('../../bin/wasmforge.js', import.meta.url));
const TARGET = '127.0.0.1:9/wasmforge';
const REFUSED = 'connect ECONNREFUSED 127.0.0.1:9';
let home: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  home = await tempHome('unreachable-wording');
});
afterAll(() => home?.remove());

const wasmforge = (args: string[]) => execa(process.execPath, [bin, ...args], {
  cwd: home.path, reject: false, stdin: 'ignore', timeout: 90_000,
  env: { WASMFORGE_HOME: home.path, DATABASE_URL: UNREACHABLE_URL, OLLAMA_HOST: 'http://127.0.0.1:9' },
});

describe('an unreachable marketplace, in plain words', () => {
  it('search says which database it could not reach, once, without an action label', async () => {
    const search = await wasmforge(['search', 'x']);
    expect(search.exitCode).toBe(0);
    expect(search.stdout.split('\n')[0]).toBe(`offline: showing the cached catalog: The marketplace database at ${TARGET} is unreachable: ${REFUSED}`);
  });

  it('publish queues it with the same sentence', { timeout: 120_000 }, async () => {
    const publish = await wasmforge(['publish', await makePlugin(home.path, 'unreachable-wording'), '--yes']);
    expect(publish.exitCode).toBe(0);
    expect(publish.stdout.split('\n')[0]).toBe(`queued unreachable-wording@1.0.0: The marketplace database at ${TARGET} is unreachable: ${REFUSED}`);
  });

  it('doctor says "unreachable" once: its line names the database, the message says the rest', async () => {
    const doctor = await wasmforge(['doctor', '--json']);
    const database = (JSON.parse(doctor.stdout) as Array<{ check: string; detail: string }>).find((line) => line.check === 'database');
    expect(database?.detail).toBe(`marketplace ${UNREACHABLE_URL}: The marketplace database is unreachable: ${REFUSED}`);
  });
});
