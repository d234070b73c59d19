import type { Engine } from './engine.ts';
import type { SandboxResources } from './resources.ts';
import { WasmEdgeEngine } from './wasmedge/engine.ts';

/** WasmEdge is used when a binary is bundled or installed; status() explains when it is not. */
export function createWasmEdgeEngine(options: { resources: SandboxResources; dataHome?: string }): Engine {
  return new WasmEdgeEngine(options);
}
