import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The one data folder that holds all per-user state (settings, keys, local database, caches).
 * Electron passes its userData folder; the CLI, the server and the tests use WASMFORGE_HOME, so
 * two users can be simulated on one machine; otherwise ~/.wasmforge.
 */
export function resolveDataHome(explicit?: string): string {
  const home = explicit ?? process.env.WASMFORGE_HOME ?? join(homedir(), '.wasmforge');
  mkdirSync(home, { recursive: true });
  return home;
}

export function dataPath(home: string, ...parts: string[]): string {
  return join(home, ...parts);
}
