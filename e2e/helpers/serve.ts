import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeTool } from '../../scripts/tools.js';
import { FakeOllama } from '../../test/fake-ollama/server.ts';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServedApp {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** The URL `wasmforge serve` printed, token in the fragment. */
  signInUrl: string;
  token: string;
  home: string;
  /** The server process, to read its memory. */
  pid: number;
  ollama: FakeOllama;
  /** What the server wrote to stderr so far (its log). */
  stderr(): string;
  stop(): Promise<void>;
}

/** `npm test` builds first; a lone e2e run builds the renderer itself if it is missing. */
export function ensureRendererBuilt(): void {
  if (existsSync(join(REPO, 'out', 'renderer', 'index.html'))) return;
  // node + the tool's entry, never npx (Windows cannot spawn npx.cmd without a shell).
  const result = spawnSync(...nodeTool('electron-vite', undefined, ['build']), { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('electron-vite build failed');
}

export interface ServeOptions {
  /** Another server's fake Ollama (two users on one machine); by default each server gets its own. */
  ollama?: FakeOllama;
  /** Written to settings.json before the server starts. */
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Build the UI first when it is missing (API-only tests and the bench need no UI). */
  buildUi?: boolean;
}

/**
 * Starts the real `wasmforge serve` on a random port with its own data folder, answering AI
 * calls through the fake Ollama (real `ollama` client, real HTTP).
 */
export async function serveApp(options: ServeOptions = {}): Promise<ServedApp> {
  if (options.buildUi !== false) ensureRendererBuilt();
  const home = await mkdtemp(join(tmpdir(), 'wf-e2e-home-'));
  if (options.settings) await writeFile(join(home, 'settings.json'), JSON.stringify(options.settings));
  const ollama = options.ollama ?? (await FakeOllama.start());
  const child = spawn(process.execPath, [join(REPO, 'bin', 'wasmforge.js'), 'serve', '--port', '0'], {
    cwd: REPO,
    env: { ...withoutToken(process.env), WASMFORGE_HOME: home, OLLAMA_HOST: ollama.url, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const signInUrl = await printedUrl(child, () => stderr);
  const url = signInUrl.slice(0, signInUrl.indexOf('/#token='));
  return {
    url, signInUrl, token: signInUrl.slice(signInUrl.indexOf('#token=') + 7), home, pid: child.pid!, ollama,
    stderr: () => stderr,
    stop: async () => {
      await stopChild(child);
      if (!options.ollama) await ollama.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Each server makes its own random token, as it does for a user. */
function withoutToken(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // DATABASE_URL would name a marketplace the test did not choose.
  const { WASMFORGE_TOKEN: _ignored, DATABASE_URL: _database, ...rest } = env;
  return rest;
}

function printedUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Open (http:\/\/\S+#token=\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`wasmforge serve exited with ${code}: ${stderr()}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
