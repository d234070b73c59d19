import { describe, expect, it } from 'vitest';
import { compileProgress } from './aot-progress.ts';

// WasmEdge 0.17.1's own log of a python.wasm compile (a real one, on a loaded 2-core machine: 11.7 min).
const LOG = [
  '[2026-12-03 14:16:24.488] [info] compile start',
  '[2026-12-03 14:16:27.601] [info] verify start',
  '[2026-12-03 14:16:30.205] [info] optimize start',
  '[2026-12-03 14:24:22.135] [info] codegen start',
  '[2026-12-03 14:28:03.923] [info] output start',
  '[2026-12-03 14:28:04.067] [info] output done',
];
const upTo = (lines: number) => LOG.slice(0, lines).join('\n');

describe('compileProgress', () => {
  it('names the phase WasmEdge logged last and never runs ahead of the next one', () => {
    expect(compileProgress('', 1000)).toEqual({ percent: 0, phase: 'starting' });
    expect(compileProgress(upTo(3), 10_000, 170_000)).toEqual({ percent: 5, phase: 'optimizing' });
    // A slow machine: far past the estimate, still below the share where codegen starts.
    expect(compileProgress(upTo(3), 600_000, 170_000)).toEqual({ percent: 67, phase: 'optimizing' });
    expect(compileProgress(upTo(4), 1000, 170_000)).toEqual({ percent: 68, phase: 'generating native code' });
    expect(compileProgress(upTo(6), 700_000, 170_000)).toEqual({ percent: 99, phase: 'checking the module' });
  });
});
