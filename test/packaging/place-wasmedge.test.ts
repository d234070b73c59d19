import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumsUrl, parseSha256Sums, placeWasmEdge, releaseAsset, targetDir } from '../../scripts/place-wasmedge.js';
import { discoverWasmEdge, wasmedgeCandidates } from '../../src/sandbox/wasmedge/binary.ts';
import { PROJECT_DIR, extraResourceEntries, loadBuilderConfig, NODE_PLATFORM } from './builder-config.ts';
import { FAKE_WASMEDGE_VERSION, writeFakeWasmEdge } from './fake-wasmedge.ts';

const RELEASES = 'https://github.com/WasmEdge/WasmEdge/releases/download';

describe('choosing the WasmEdge release file (no network)', () => {
  it.each([
    ['0.17.1', 'linux', 'x64', 'WasmEdge-0.17.1-manylinux_2_28_x86_64.tar.gz'],
    ['0.17.1', 'linux', 'arm64', 'WasmEdge-0.17.1-manylinux_2_28_aarch64.tar.gz'],
    ['0.15.0', 'linux', 'x64', 'WasmEdge-0.15.0-manylinux_2_28_x86_64.tar.gz'],
    ['0.14.1', 'linux', 'x64', 'WasmEdge-0.14.1-manylinux2014_x86_64.tar.gz'],
    ['0.17.1', 'darwin', 'x64', 'WasmEdge-0.17.1-darwin_x86_64.tar.gz'],
    ['0.17.1', 'darwin', 'arm64', 'WasmEdge-0.17.1-darwin_arm64.tar.gz'],
    ['0.17.1', 'win32', 'x64', 'WasmEdge-0.17.1-windows.zip'],
  ])('%s for %s-%s is %s', (version, platform, arch, name) => {
    expect(releaseAsset(version, platform, arch)).toEqual({
      name,
      url: `${RELEASES}/${version}/${name}`,
      kind: name.endsWith('.zip') ? 'zip' : 'tar.gz',
    });
  });

  it('refuses a platform WasmEdge does not build for', () => {
    expect(() => releaseAsset('0.17.1', 'win32', 'arm64')).toThrow(/no release for win32-arm64/);
    expect(() => releaseAsset('0.17.1', 'freebsd', 'x64')).toThrow(/no release/);
  });

  it('reads the release’s SHA256SUM in both sha256sum formats', () => {
    expect(checksumsUrl('0.17.1')).toBe(`${RELEASES}/0.17.1/SHA256SUM`);
    const sums = parseSha256Sums(`${'A'.repeat(64)}  WasmEdge-0.17.1-darwin_arm64.tar.gz\r\n${'b'.repeat(64)} *dist/WasmEdge-0.17.1-windows.zip\nnot a line\n`);
    expect([...sums]).toEqual([
      ['WasmEdge-0.17.1-darwin_arm64.tar.gz', 'a'.repeat(64)],
      ['WasmEdge-0.17.1-windows.zip', 'b'.repeat(64)],
    ]);
  });

  it('places each platform where electron-builder.yml ships it from and the app looks', async () => {
    const config = await loadBuilderConfig();
    for (const platform of ['linux', 'mac', 'win'] as const) {
      const nodePlatform = NODE_PLATFORM[platform];
      const entry = extraResourceEntries(config, platform).find((candidate) => candidate.to.startsWith('wasmedge'))!;
      expect(targetDir(PROJECT_DIR, nodePlatform, 'arm64')).toBe(join(PROJECT_DIR, entry.from.replace('${arch}', 'arm64')));
      const bundled = wasmedgeCandidates({ wasmedgeDir: join('R', 'wasmedge'), platform: nodePlatform, arch: 'arm64', env: {} })[0]!;
      expect(bundled.path.startsWith(join('R', entry.to.replace('${arch}', 'arm64')))).toBe(true);
    }
  });
});

// The whole flow against a fake fetch that serves a stand-in release (tar.gz made with the system tar).
describe.skipIf(process.platform === 'win32')('placing a release (fake fetch, stand-in archive)', () => {
  let work: string;
  let archive: Buffer;
  const asset = releaseAsset(FAKE_WASMEDGE_VERSION, 'linux', 'x64');
  const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wf-place-wasmedge-'));
    const release = join(work, 'release');
    writeFakeWasmEdge(join(release, `WasmEdge-${FAKE_WASMEDGE_VERSION}-Linux`), 'linux');
    await execa('tar', ['-czf', join(work, asset.name), '-C', release, '.']);
    archive = readFileSync(join(work, asset.name));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function fakeFetch(sums: string | null, served = archive): typeof fetch {
    return (async (url: string | URL | Request) => {
      const href = String(url);
      if (href === asset.url) return new Response(new Uint8Array(served));
      if (href === checksumsUrl(FAKE_WASMEDGE_VERSION) && sums !== null) return new Response(sums);
      return new Response('not found', { status: 404 });
    }) as typeof fetch;
  }

  const place = (root: string, fetchImpl: typeof fetch, sha256?: string) => placeWasmEdge(
    { version: FAKE_WASMEDGE_VERSION, platform: 'linux', arch: 'x64', ...(sha256 ? { sha256 } : {}) },
    { root, fetchImpl, log: () => undefined },
  );

  it('downloads, checks the published checksum and keeps bin/, lib64/ (links intact) and the licence', async () => {
    const root = join(work, 'ok');
    const { target, sha256 } = await place(root, fakeFetch(`${sha(archive)}  ${asset.name}\n`));
    expect(target).toBe(join(root, 'resources', 'wasmedge', 'linux-x64'));
    expect(sha256).toBe(sha(archive));
    expect(readdirSync(target).sort()).toEqual(['LICENSE', 'bin', 'lib64', 'wasmedge-release.json']);
    expect(readlinkSync(join(target, 'lib64', 'libwasmedge.so.0'))).toBe('libwasmedge.so.0.1.0');
    expect(JSON.parse(readFileSync(join(target, 'wasmedge-release.json'), 'utf8'))).toMatchObject({ version: FAKE_WASMEDGE_VERSION, asset: asset.name });
    const found = await discoverWasmEdge({ wasmedgeDir: join(root, 'resources', 'wasmedge'), platform: 'linux', arch: 'x64', env: {} });
    expect(found).toMatchObject({ found: true, binary: { source: 'bundled', version: FAKE_WASMEDGE_VERSION } });
  });

  it('refuses an archive whose checksum does not match, and places nothing', async () => {
    const root = join(work, 'tampered');
    const tampered = Buffer.concat([archive, Buffer.from('x')]);
    await expect(place(root, fakeFetch(`${sha(archive)}  ${asset.name}\n`, tampered))).rejects.toThrow(/checksum mismatch/);
    expect(existsSync(join(root, 'resources', 'wasmedge'))).toBe(false);
  });

  it('refuses when the release publishes no checksum, unless one is given', async () => {
    await expect(place(join(work, 'unsigned'), fakeFetch(null))).rejects.toThrow(/publishes no checksum/);
    await expect(place(join(work, 'wrong'), fakeFetch(null), 'f'.repeat(64))).rejects.toThrow(/checksum mismatch/);
    const { sha256 } = await place(join(work, 'given'), fakeFetch(null), sha(archive).toUpperCase());
    expect(sha256).toBe(sha(archive));
  });

  it('refuses a release with a link pointing outside it', async () => {
    const release = join(work, 'evil-release');
    const top = join(release, `WasmEdge-${FAKE_WASMEDGE_VERSION}-Linux`);
    writeFakeWasmEdge(top, 'linux');
    mkdirSync(join(top, 'lib'), { recursive: true });
    symlinkSync('/etc/passwd', join(top, 'lib', 'libevil.so'));
    const evilArchive = join(work, `evil-${asset.name}`);
    await execa('tar', ['-czf', evilArchive, '-C', release, '.']);
    const evil = readFileSync(evilArchive);
    const root = join(work, 'evil');
    await expect(place(root, fakeFetch(`${sha(evil)}  ${asset.name}\n`, evil))).rejects.toThrow(/links outside the release/);
    expect(existsSync(join(root, 'resources', 'wasmedge', 'linux-x64'))).toBe(false);
  });
});

describe('the place-wasmedge command line', () => {
  it('rejects a bad platform with exit code 2 before touching the network', async () => {
    const result = await execa('node', [join(PROJECT_DIR, 'scripts', 'place-wasmedge.js'), '--platform', 'freebsd'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--platform/);
  });
});
