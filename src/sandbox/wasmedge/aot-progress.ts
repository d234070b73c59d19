/**
 * WasmEdge logs the phases of a compile ("optimize start", "codegen start", …). Each is given the
 * share of the whole compile done when it starts (measured on python.wasm with WasmEdge 0.17.1:
 * translate + verify 6 s, optimize 66%, codegen 31%, output under a second);
 * within a phase the share grows with the time spent against the expected total, never past the
 * next phase's share. The percentage is an estimate; the phase is what the compiler said.
 */
const PHASES: ReadonlyArray<{ line: string; percent: number; name: string }> = [
  { line: 'compile start', percent: 0, name: 'translating to LLVM' },
  { line: 'verify start', percent: 1, name: 'verifying' },
  { line: 'optimize start', percent: 2, name: 'optimizing' },
  { line: 'codegen start', percent: 68, name: 'generating native code' },
  { line: 'output start', percent: 98, name: 'writing the module' },
  { line: 'output done', percent: 99, name: 'checking the module' },
];

/** A python.wasm compile with WasmEdge 0.17.1 on a 2-core machine (158–173 s measured). */
export const DEFAULT_COMPILE_ESTIMATE_MS = 170_000;

export interface CompileProgress {
  percent: number;
  phase: string;
}

export function compileProgress(log: string, elapsedMs: number, estimateMs = DEFAULT_COMPILE_ESTIMATE_MS): CompileProgress {
  let index = -1;
  PHASES.forEach((phase, i) => { if (log.includes(phase.line)) index = i; });
  if (index < 0) return { percent: 0, phase: 'starting' };
  const floor = PHASES[index]!.percent;
  const ceiling = (PHASES[index + 1]?.percent ?? 100) - 1;
  const byTime = Math.floor((Math.max(0, elapsedMs) / estimateMs) * 100);
  return { percent: Math.max(floor, Math.min(ceiling, byTime)), phase: PHASES[index]!.name };
}
