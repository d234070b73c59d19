import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WasmForgeError } from '../shared/errors.ts';

export interface SandboxResources {
  pythonWasm: string;
  /** python.wasm made resumable (scripts/asyncify-python-wasm.js), when it was derived. */
  asyncifiedWasm?: string;
  sdkDir: string;
  /** Where bundled WasmEdge binaries would be: resources/wasmedge/<platform>-<arch>/. */
  wasmedgeDir: string;
}

/**
 * Finds python.wasm and the SDK in development (the repository: resources/ and sdk/) and when
 * packaged (Electron's resourcesPath holds python/, sdk/ and wasmedge/).
 */
export function findSandboxResources(): SandboxResources {
  for (const candidate of candidateLayouts()) {
    if (!existsSync(candidate.pythonWasm) || !existsSync(join(candidate.sdkDir, 'platform_sdk.py'))) continue;
    const asyncifiedWasm = join(dirname(candidate.pythonWasm), 'python-asyncify.wasm');
    return existsSync(asyncifiedWasm) ? { ...candidate, asyncifiedWasm } : candidate;
  }
  throw new WasmForgeError('ENGINE_UNAVAILABLE', 'python.wasm was not found', {
    hint: 'Run `npm ci` (its postinstall step copies python.wasm into resources/python/).',
  });
}

function candidateLayouts(): SandboxResources[] {
  const layouts: SandboxResources[] = [];
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (process.env.WASMFORGE_RESOURCES) layouts.push(packagedLayout(process.env.WASMFORGE_RESOURCES));
  if (packaged) layouts.push(packagedLayout(packaged));
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    layouts.push({
      pythonWasm: join(dir, 'resources', 'python', 'python.wasm'),
      sdkDir: join(dir, 'sdk'),
      wasmedgeDir: join(dir, 'resources', 'wasmedge'),
    });
    if (dirname(dir) === dir) break;
  }
  return layouts;
}

function packagedLayout(root: string): SandboxResources {
  return { pythonWasm: join(root, 'python', 'python.wasm'), sdkDir: join(root, 'sdk'), wasmedgeDir: join(root, 'wasmedge') };
}
