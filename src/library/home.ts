import { homedir } from 'node:os';
import { join } from 'node:path';
import { makePrivateSync } from './private-files.ts';

/**
 * The one data folder that holds all per-user state (settings, keys, local database, caches).
 * Electron passes its userData folder; the CLI, the server and the tests use WASMFORGE_HOME, so
 * two users can be simulated on one machine; otherwise ~/.wasmforge. It is made (or tightened to)
 * 0700: it holds keys and passwords.
 */
export function resolveDataHome(explicit?: string): string {
  const home = explicit ?? process.env.WASMFORGE_HOME ?? join(homedir(), '.wasmforge');
  makePrivateSync(home);
  return home;
}

export function dataPath(home: string, ...parts: string[]): string {
  return join(home, ...parts);
}
