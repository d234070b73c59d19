import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiBroker } from '../ai/broker.ts';
import { TestAiProvider } from '../ai/test-provider.ts';
import { SandboxRuntime } from '../sandbox/index.ts';
import { AFTER_THE_ORIGINAL } from './original-templates.ts';

// The real python.wasm with the in-process test model, which answers "[model] prompt"; the
// original's two models are installed and approved, as its README told users to do.
const models = ['llama3:latest', 'mistral:latest'];
const runtime = new SandboxRuntime({ warmPoolSize: 1, broker: new AiBroker({ provider: new TestAiProvider({ models }), allowList: models }) });
beforeAll(() => runtime.prewarm());
afterAll(() => runtime.close());

const run = async (id: string, input: string) => {
  const template = AFTER_THE_ORIGINAL.find((t) => t.id === id);
  if (!template) throw new Error(`no template ${id}`);
  const result = await runtime.run({ code: template.code, input, manifestModels: template.manifest.models });
  expect(result.error).toBeNull();
  return { output: result.output, models: result.aiCalls.map((call) => call.model) };
};

describe("the original app's four starters, as ours", () => {
  it('Simple: one llama3 answer is the output', async () => {
    expect(await run('original-simple', 'a long text')).toEqual({ output: '[llama3:latest] Summarize this text: a long text', models: ['llama3:latest'] });
  });

  it('Multi-step: a rating, a mood from it, a report, as indented JSON', async () => {
    const { output, models } = await run('original-multi-step', 'I love it');
    expect(models).toEqual(['llama3:latest', 'llama3:latest']);
    expect(output).toContain('\n  "mood": ');
    const parsed = JSON.parse(output) as { mood: string; score: number; report: string };
    expect(Object.keys(parsed)).toEqual(['mood', 'score', 'report']);
    // The test model echoes the prompt, whose first number is the 0 of "from 0 to 10".
    expect(parsed).toMatchObject({ mood: 'negative', score: 0 });
    expect(parsed.report).toContain('Mood: negative');
  });

  it('Translate: into Vietnamese with llama3', async () => {
    expect(await run('original-translate', 'good morning')).toEqual({ output: '[llama3:latest] Translate this text into Vietnamese: good morning', models: ['llama3:latest'] });
  });

  it('Code review: bugs, security and suggestions from three mistral calls', async () => {
    const { output, models } = await run('original-code-review', 'eval(input())');
    expect(models).toEqual(['mistral:latest', 'mistral:latest', 'mistral:latest']);
    const parsed = JSON.parse(output) as Record<string, string>;
    expect(Object.keys(parsed)).toEqual(['bugs', 'security', 'suggestions']);
    expect(parsed.security).toBe('[mistral:latest] Look for security vulnerabilities in this code. Be concise: eval(input())');
  });
});
