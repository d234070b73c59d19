// Runs a plugin the way the packaged app would find its sandbox: through findSandboxResources(),
// with the packaged resources folder given as WASMFORGE_RESOURCES or as Electron's resourcesPath.
import type { RunResult } from '../../src/shared/run.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { findSandboxResources, type SandboxResources } from '../../src/sandbox/resources.ts';

export const HELLO_PLUGIN = 'from platform_sdk import get_input, send_output\nsend_output("hello, " + get_input())\n';

// Electron's typings declare resourcesPath as always there; under Node it is absent until a test sets it.
type ElectronProcess = { resourcesPath?: string };

/** Resolves the sandbox resources with only `resourcesDir` announced the given way; restores after. */
export function resolveAsPackaged(resourcesDir: string, how: 'env' | 'resourcesPath'): SandboxResources {
  return withPackagedResources(resourcesDir, how, () => findSandboxResources());
}

/** Runs the hello-world plugin through SandboxRuntime, which finds its resources by itself. */
export async function runHelloAsPackaged(resourcesDir: string, how: 'env' | 'resourcesPath'): Promise<{ result: RunResult; resources: SandboxResources }> {
  return withPackagedResources(resourcesDir, how, async () => {
    const resources = findSandboxResources();
    const runtime = new SandboxRuntime({ warmPoolSize: 1 });
    try {
      return { result: await runtime.run({ code: HELLO_PLUGIN, input: 'packaged app' }), resources };
    } finally {
      await runtime.close();
    }
  });
}

function withPackagedResources<T>(resourcesDir: string, how: 'env' | 'resourcesPath', body: () => T): T {
  const electronProcess = process as unknown as ElectronProcess;
  const saved = { env: process.env.WASMFORGE_RESOURCES, resourcesPath: electronProcess.resourcesPath };
  const restore = (): void => {
    if (saved.env === undefined) delete process.env.WASMFORGE_RESOURCES;
    else process.env.WASMFORGE_RESOURCES = saved.env;
    if (saved.resourcesPath === undefined) delete electronProcess.resourcesPath;
    else electronProcess.resourcesPath = saved.resourcesPath;
  };
  delete process.env.WASMFORGE_RESOURCES;
  delete electronProcess.resourcesPath;
  if (how === 'env') process.env.WASMFORGE_RESOURCES = resourcesDir;
  else electronProcess.resourcesPath = resourcesDir;
  let result: T;
  try {
    result = body();
  } catch (error) {
    restore();
    throw error;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
