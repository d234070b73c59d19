#!/usr/bin/env node
// Places the official WasmEdge release for one platform/arch into resources/wasmedge/<platform>-<arch>/
// (the folder electron-builder ships and src/sandbox/wasmedge/binary.ts looks in), before packaging.
// It needs internet (GitHub releases); tests only drive it with a fake fetch. Usage:
//   node scripts/place-wasmedge.js [--version 0.17.1] [--platform linux|darwin|win32] [--arch x64|arm64]
//                                  [--sha256 HEX] [--archive FILE]
// The archive is verified against the release's SHA256SUM (or --sha256 when given; both must agree).
// Only bin/, lib/ (or lib64/) and the licence files are kept: wasmedge finds its library through
// $ORIGIN/../lib* (@executable_path/../lib on macOS).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { execa } from 'execa';
import semver from 'semver';
import { z } from 'zod';

export const DEFAULT_WASMEDGE_VERSION = '0.17.1';
const RELEASES = 'https://github.com/WasmEdge/WasmEdge/releases/download';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PLATFORMS = ['linux', 'darwin', 'win32'];
const ARCHES = ['x64', 'arm64'];

export const placeOptionsSchema = z.object({
  version: z.string().refine((value) => semver.valid(value) !== null, 'a WasmEdge version such as 0.17.1'),
  platform: z.enum(PLATFORMS),
  arch: z.enum(ARCHES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, '64 hex digits').transform((hex) => hex.toLowerCase()).optional(),
  archive: z.string().min(1).optional(),
});

/** The release file for a platform/arch, as WasmEdge names them (see its utils/install_v2.sh). */
export function releaseAsset(version, platform, arch) {
  const base = `WasmEdge-${version}`;
  let suffix;
  if (platform === 'linux') {
    // The manylinux builds run on old glibc too, which suits an app handed to any distribution.
    const machine = arch === 'arm64' ? 'aarch64' : 'x86_64';
    suffix = semver.gte(version, '0.15.0') ? `manylinux_2_28_${machine}.tar.gz` : `manylinux2014_${machine}.tar.gz`;
  } else if (platform === 'darwin') {
    suffix = `darwin_${arch === 'arm64' ? 'arm64' : 'x86_64'}.tar.gz`;
  } else if (platform === 'win32' && arch === 'x64') {
    suffix = 'windows.zip';
  } else {
    throw new Error(`WasmEdge publishes no release for ${platform}-${arch}`);
  }
  const name = `${base}-${suffix}`;
  return { name, url: `${RELEASES}/${version}/${name}`, kind: name.endsWith('.zip') ? 'zip' : 'tar.gz' };
}

export function checksumsUrl(version) {
  return `${RELEASES}/${version}/SHA256SUM`;
}

/** `sha256sum` output ("HEX  name" or "HEX *name") as a map of file name to lower-case hex. */
export function parseSha256Sums(text) {
  const sums = new Map();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line);
    if (match) sums.set(match[2].replace(/^.*\//, ''), match[1].toLowerCase());
  }
  return sums;
}

/** Where electron-builder picks the binary up (see electron-builder.yml) and the app finds it. */
export function targetDir(root, platform, arch) {
  return join(root, 'resources', 'wasmedge', `${platform}-${arch}`);
}

/**
 * Downloads (or takes --archive), verifies, extracts and places one WasmEdge release.
 * `fetchImpl` is injectable so tests never touch the network.
 */
export async function placeWasmEdge(rawOptions, { root = REPO_ROOT, fetchImpl = fetch, log = console.log } = {}) {
  const options = placeOptionsSchema.parse(rawOptions);
  const asset = releaseAsset(options.version, options.platform, options.arch);
  const work = mkdtempSync(join(tmpdir(), 'wasmforge-wasmedge-'));
  try {
    const archive = options.archive ?? join(work, asset.name);
    if (!options.archive) await download(asset.url, archive, fetchImpl, log);
    const sha256 = await verifiedChecksum(options, asset, sha256File(archive), fetchImpl);
    const extracted = join(work, 'extracted');
    mkdirSync(extracted);
    await extract(archive, asset.kind, extracted);
    const target = targetDir(root, options.platform, options.arch);
    installLayout(releaseTop(extracted), target, options.platform);
    writeFileSync(join(target, 'wasmedge-release.json'), `${JSON.stringify({ version: options.version, asset: asset.name, url: asset.url, sha256 }, null, 2)}\n`);
    log(`WasmEdge ${options.version} (${asset.name}, sha256 ${sha256.slice(0, 12)}…) placed in ${relative(root, target) || target}`);
    return { target, asset, sha256 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function download(url, file, fetchImpl, log) {
  log(`downloading ${url}`);
  const response = await fetchImpl(url, { redirect: 'follow' });
  if (!response.ok) throw new Error(`download failed: HTTP ${response.status} for ${url}`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
}

function sha256File(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The archive's SHA-256 once it matches every published or given checksum; refuses otherwise. */
async function verifiedChecksum(options, asset, actual, fetchImpl) {
  const published = options.archive && options.sha256 ? undefined : await publishedChecksum(options.version, asset.name, fetchImpl);
  const expected = [published, options.sha256].filter(Boolean);
  if (expected.length === 0) {
    throw new Error(`the release publishes no checksum for ${asset.name}; pass --sha256 HEX from a source you trust`);
  }
  for (const hex of expected) {
    if (hex !== actual) throw new Error(`checksum mismatch for ${asset.name}: expected ${hex}, got ${actual}`);
  }
  return actual;
}

async function publishedChecksum(version, assetName, fetchImpl) {
  const response = await fetchImpl(checksumsUrl(version), { redirect: 'follow' });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`could not fetch SHA256SUM: HTTP ${response.status}`);
  return parseSha256Sums(await response.text()).get(assetName);
}

async function extract(archive, kind, into) {
  // System tools: GNU tar/bsdtar refuse absolute and ../ member paths; Windows 10+ ships bsdtar,
  // which also reads zip. Elsewhere a zip (the Windows build) needs unzip.
  if (kind === 'tar.gz') await execa('tar', ['-xzf', archive, '-C', into]);
  else if (process.platform === 'win32') await execa('tar', ['-xf', archive, '-C', into]);
  else await execa('unzip', ['-q', archive, '-d', into]);
}

/** The release's single top folder (WasmEdge-<version>-<OS>/), or the root when files sit there. */
function releaseTop(extracted) {
  const entries = readdirSync(extracted);
  const only = entries.length === 1 ? join(extracted, entries[0]) : undefined;
  return only && lstatSync(only).isDirectory() && !existsSync(join(extracted, 'bin')) ? only : extracted;
}

function installLayout(top, target, platform) {
  const exe = platform === 'win32' ? 'wasmedge.exe' : 'wasmedge';
  if (!existsSync(join(top, 'bin', exe))) throw new Error(`the archive has no bin/${exe}`);
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const folder of ['bin', 'lib', 'lib64']) {
    if (existsSync(join(top, folder))) cpSync(join(top, folder), join(staging, folder), { recursive: true, verbatimSymlinks: true });
  }
  // WasmEdge is Apache-2.0: its licence and notices travel with the binary.
  for (const name of readdirSync(top).filter((file) => /^(licen[cs]e|notice|copying)/i.test(file))) {
    if (lstatSync(join(top, name)).isFile()) cpSync(join(top, name), join(staging, name));
  }
  refuseEscapingLinks(staging);
  if (platform !== 'win32') chmodSync(join(staging, 'bin', exe), 0o755);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

/** A symlink may only point inside the placed folder: the app ships whatever it points at. */
function refuseEscapingLinks(root, dir = root) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) refuseEscapingLinks(root, path);
    else if (stat.isSymbolicLink()) {
      const link = readlinkSync(path);
      const inside = relative(root, resolve(dirname(path), link));
      if (isAbsolute(link) || inside.startsWith('..')) {
        rmSync(root, { recursive: true, force: true });
        throw new Error(`refusing ${relative(root, path)}: it links outside the release (${link})`);
      }
    }
  }
}

function cli(argv) {
  const program = new Command('place-wasmedge')
    .description('Place the official WasmEdge release in resources/wasmedge/<platform>-<arch>/ before packaging')
    .option('--version <version>', 'WasmEdge release', DEFAULT_WASMEDGE_VERSION)
    .option('--platform <platform>', `target platform (${PLATFORMS.join(', ')})`, process.platform)
    .option('--arch <arch>', `target architecture (${ARCHES.join(', ')})`, process.arch)
    .option('--sha256 <hex>', 'expected SHA-256 of the archive (required when the release publishes none)')
    .option('--archive <file>', 'use an archive downloaded already instead of downloading it')
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const parsed = placeOptionsSchema.safeParse(program.opts());
  if (!parsed.success) {
    console.error(`place-wasmedge: ${parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    process.exit(2);
  }
  return parsed.data;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = cli(process.argv);
  placeWasmEdge(options).catch((error) => {
    console.error(`place-wasmedge: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
