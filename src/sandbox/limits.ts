import { DEFAULT_LIMITS, MIN_MEMORY_BYTES, WASM_PAGE_BYTES, type Limits } from '../shared/limits.ts';

/**
 * Sandbox limits, enforced by the host: the contract's shape, resolved by the one pipeline
 * (effectiveLimits in src/shared/limits.ts) that app.info and the AI broker use too.
 */
export type SandboxLimits = Limits;

export { DEFAULT_LIMITS, MIN_MEMORY_BYTES, WASM_PAGE_BYTES };

export function memoryPages(limits: SandboxLimits): number {
  return Math.floor(limits.memoryBytes / WASM_PAGE_BYTES);
}
