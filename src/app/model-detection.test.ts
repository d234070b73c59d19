import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxRuntime } from '../sandbox/index.ts';
import { starterTemplates } from './templates.ts';
import { modelsFor } from '../shared/api/schemas/plugins.ts';
import { detectModels, detectModelsOrWhyNot, withDetectedModels } from './model-detection.ts';

// The real python.wasm: the detector is CPython's own parser.
const runtime = new SandboxRuntime({ warmPoolSize: 1 });
beforeAll(() => runtime.prewarm());
afterAll(() => runtime.close());

describe('the models a plugin calls, read from its code', () => {
  it('finds literal models in call_ai, embed and call_ai_many, once each, in order', async () => {
    const code = [
      'import platform_sdk as sdk',
      'from platform_sdk import call_ai, call_ai_many, embed',
      '# call_ai("in-a-comment") is not a call',
      'NOTE = "call_ai(\'in-a-string\', x)"',
      'a = call_ai("llama3", "hi")',
      'b = sdk.call_ai(model="mist" "ral", prompt="x")',
      "c = call_ai(r'llama3', 'again')",
      'd = embed("nomic-embed-text", "v")',
      'e = call_ai_many([{"model": "gemma2:2b", "prompt": "p"}, ("qwen2.5:1.5b", "q")])',
    ].join('\n');
    expect(await detectModels(runtime, code)).toEqual({ models: ['llama3', 'mistral', 'nomic-embed-text', 'gemma2:2b', 'qwen2.5:1.5b'], dynamic: false });
  });

  it('answers code being typed that does not parse with why, not a refusal; the declared models then stay', async () => {
    const detected = await detectModelsOrWhyNot(runtime, 'from platform_sdk import send_output\n\nsend_output(');
    expect(detected).toEqual({ models: [], dynamic: false, notParsed: expect.stringContaining("'(' was never closed") });
    expect(modelsFor(['llama3'], detected)).toEqual(['llama3']);
  });

  it("reads a multi-file plugin's other modules too (a helper's calls count), never its data files; a helper that does not parse is named", async () => {
    const files = { 'helpers.py': 'from platform_sdk import call_ai\ncall_ai("mistral", "x")\n', 'pkg/deep.py': 'embed("nomic-embed-text", "v")\n', 'data.txt': 'call_ai("not-code", "x")' };
    expect(await detectModels(runtime, 'import helpers\ncall_ai("llama3", "x")', files)).toEqual({ models: ['llama3', 'mistral', 'nomic-embed-text'], dynamic: false });
    await expect(detectModels(runtime, 'import helpers', { 'helpers.py': 'def broken(:\n' })).rejects.toMatchObject({ code: 'SYNTAX_ERROR', message: expect.stringContaining('the models helpers.py calls') });
  });

  it('says when a model is an expression, and then keeps the declared ones', async () => {
    const detected = await detectModels(runtime, 'from platform_sdk import call_ai\nMODEL = "llama3"\ncall_ai(MODEL, "hi")\ncall_ai("mistral", "x")');
    expect(detected).toEqual({ models: ['mistral'], dynamic: true });
    expect(modelsFor(['llama3'], detected)).toEqual(['mistral', 'llama3']);
    expect(modelsFor(['llama3', 'leftover'], { models: ['mistral'], dynamic: false })).toEqual(['mistral']);
  });

  it('replaces a template\'s leftover models, and leaves code that does not parse to the syntax check', async () => {
    const manifest = { name: 'x', models: ['qwen2.5:1.5b'] };
    expect(await withDetectedModels(runtime, 'from platform_sdk import call_ai\ncall_ai("llama3", "x")', manifest)).toEqual({ name: 'x', models: ['llama3'] });
    expect(await withDetectedModels(runtime, 'print("no AI")', manifest)).toEqual({ name: 'x', models: [] });
    expect(await withDetectedModels(runtime, 'call_ai("llama3", ', manifest)).toBe(manifest);
  });

  it('never runs the code it reads', async () => {
    const detected = await detectModels(runtime, 'while True: pass\ncall_ai("llama3", "x")');
    expect(detected.models).toEqual(['llama3']);
  });

  it('every starter template declares exactly the models its code calls', async () => {
    for (const template of starterTemplates()) {
      const detected = await detectModels(runtime, template.code);
      expect({ id: template.id, models: modelsFor(template.manifest.models, detected) }).toEqual({ id: template.id, models: template.manifest.models });
    }
  });
});
