import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatRecording } from '../src/ai/recording.ts';

/**
 * A plugin folder with `count` test cases, each answered from its own inline AI answer (replayed:
 * no model anywhere), and a recording of one of those runs for `wasmforge run --replay`. Used by the
 * cli suite (whole `wasmforge test` process against one replayed run) and the ui suite (the Tests panel).
 */
export const TESTED_PLUGIN = 'bench-tested';
const MODEL = 'qwen2.5:1.5b';
const CODE = `from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("${MODEL}", "Summarize: " + get_input()))\n`;

export async function writeTestedPlugin(dir: string, count: number): Promise<{ recording: string }> {
  await mkdir(join(dir, 'tests'), { recursive: true });
  await writeFile(join(dir, 'plugin.py'), CODE);
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: TESTED_PLUGIN, version: '0.1.0', description: 'bench', models: [MODEL] }));
  for (let i = 0; i < count; i++) {
    const input = `report number ${i}`;
    await writeFile(join(dir, 'tests', `case-${String(i).padStart(2, '0')}.json`), JSON.stringify({
      name: `case ${i}`, input, ai: [{ model: MODEL, prompt: `Summarize: ${input}`, response: `Summary ${i}.` }], expect: { output: `Summary ${i}.` },
    }));
  }
  const recording = join(dir, 'one-run.recording');
  await writeFile(recording, formatRecording({
    format: 'wasmforge-ai-recording', version: 1, models: [MODEL],
    calls: [{ kind: 'generate', request: { model: MODEL, prompt: 'Summarize: report number 0' }, response: { text: 'Summary 0.' } }],
  }));
  return { recording };
}
