export { SandboxRuntime, type RunRequest, type SandboxRuntimeOptions } from './runtime.ts';
export { DEFAULT_LIMITS, type SandboxLimits } from './limits.ts';
export type { EngineStatus } from './engine.ts';
