import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import semver from 'semver';

export type BinarySource = 'bundled' | 'env' | 'path';

export interface WasmEdgeBinary {
  path: string;
  source: BinarySource;
  /** Normalised semver, e.g. "0.17.1". */
  version: string;
}

export interface DiscoveryOptions {
  /** resources/wasmedge: bundled binaries live in <wasmedgeDir>/<platform>-<arch>/. */
  wasmedgeDir: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  /** How long `wasmedge --version` may take before the candidate is given up. */
  probeTimeoutMs?: number;
}

export type Discovery =
  | { found: true; binary: WasmEdgeBinary; rejected: string[] }
  | { found: false; reason: string; rejected: string[] };

interface Candidate { path: string; source: BinarySource }

export const NOT_FOUND_REASON = 'wasmedge not found: set WASMFORGE_WASMEDGE or put wasmedge on PATH';

/**
 * Finds a working wasmedge: the one bundled with the app first (a known version), then the
 * user's explicit choice (WASMFORGE_WASMEDGE), then PATH. A candidate only counts when it runs
 * and reports a version, so a broken bundled binary falls through to the next one.
 */
export async function discoverWasmEdge(options: DiscoveryOptions): Promise<Discovery> {
  const rejected: string[] = [];
  for (const candidate of wasmedgeCandidates(options)) {
    if (!isExecutableFile(candidate.path, options.platform ?? process.platform)) continue;
    const probe = await probeVersion(candidate.path, options.probeTimeoutMs ?? 15_000);
    if (probe.version) return { found: true, binary: { ...candidate, version: probe.version }, rejected };
    rejected.push(`${candidate.path} (${candidate.source}): ${probe.problem}`);
  }
  const explicit = (options.env ?? process.env).WASMFORGE_WASMEDGE;
  const reason = rejected.length
    ? `no working wasmedge: ${rejected.join('; ')}`
    : explicit ? `WASMFORGE_WASMEDGE=${explicit} is not an executable wasmedge, and none is on PATH` : NOT_FOUND_REASON;
  return { found: false, reason, rejected };
}

/** Candidate paths in priority order; existence is checked by the caller. */
export function wasmedgeCandidates(options: DiscoveryOptions): Candidate[] {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const exe = platform === 'win32' ? 'wasmedge.exe' : 'wasmedge';
  const bundledDir = join(options.wasmedgeDir, `${platform}-${options.arch ?? process.arch}`);
  const candidates: Candidate[] = [
    { path: join(bundledDir, exe), source: 'bundled' },
    // WasmEdge's release archives keep the binary in bin/ next to lib/.
    { path: join(bundledDir, 'bin', exe), source: 'bundled' },
  ];
  const explicit = env.WASMFORGE_WASMEDGE?.trim();
  if (explicit) {
    candidates.push({ path: explicit, source: 'env' });
    candidates.push({ path: join(explicit, exe), source: 'env' }, { path: join(explicit, 'bin', exe), source: 'env' });
  }
  for (const dir of pathEntries(env, platform)) candidates.push({ path: join(dir, exe), source: 'path' });
  return candidates;
}

function pathEntries(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  // Windows spells it Path, and its environment is case-insensitive.
  const key = Object.keys(env).find((name) => name.toUpperCase() === 'PATH');
  const value = key ? env[key] : undefined;
  if (!value) return [];
  return value.split(platform === 'win32' ? ';' : ':').filter((dir) => dir.length > 0);
}

function isExecutableFile(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function probeVersion(path: string, timeoutMs: number): Promise<{ version?: string; problem: string }> {
  const result = await execa(path, ['--version'], {
    env: {}, extendEnv: false, reject: false, timeout: timeoutMs, stdin: 'ignore', maxBuffer: 64 * 1024, windowsHide: true,
  });
  const text = `${String(result.stdout ?? '')}\n${String(result.stderr ?? '')}`;
  const version = parseWasmEdgeVersion(text);
  if (result.failed || version === undefined) {
    const why = result.timedOut ? 'timed out' : result.failed ? `exit ${result.exitCode ?? result.signal ?? '?'}` : 'no version in its output';
    return { problem: `\`--version\` failed (${why})` };
  }
  return { version, problem: '' };
}

/** `wasmedge --version` prints "wasmedge version 0.17.1" (plus plugin lines on some builds). */
export function parseWasmEdgeVersion(output: string): string | undefined {
  const match = /\bwasmedge(?:\s+version)?\s+v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/i.exec(output);
  return match ? (semver.valid(match[1]!) ?? undefined) : undefined;
}

/**
 * From 0.17 a compiled file runs natively only with `--run-mode aot` (otherwise it is silently
 * interpreted); older versions have no such flag and reject it, but run AOT sections by default.
 */
export function needsRunModeFlag(version: string): boolean {
  return semver.gte(version, '0.17.0-0');
}
