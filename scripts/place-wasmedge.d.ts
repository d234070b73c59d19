// Types for scripts/place-wasmedge.js (a plain Node script), so the tests are type-checked against it.
export declare const DEFAULT_WASMEDGE_VERSION: string;

export interface PlaceOptions {
  version: string;
  platform: 'linux' | 'darwin' | 'win32';
  arch: 'x64' | 'arm64';
  /** Expected SHA-256 of the archive (lower- or upper-case hex). */
  sha256?: string;
  /** An archive on disk to place instead of downloading one. */
  archive?: string;
}

export interface ReleaseAsset {
  name: string;
  url: string;
  kind: 'tar.gz' | 'zip';
}

export interface PlaceResult {
  target: string;
  asset: ReleaseAsset;
  sha256: string;
}

export declare function releaseAsset(version: string, platform: string, arch: string): ReleaseAsset;
export declare function checksumsUrl(version: string): string;
export declare function parseSha256Sums(text: string): Map<string, string>;
export declare function targetDir(root: string, platform: string, arch: string): string;
export declare function placeWasmEdge(
  options: PlaceOptions,
  context?: { root?: string; fetchImpl?: typeof fetch; log?: (line: string) => void },
): Promise<PlaceResult>;
