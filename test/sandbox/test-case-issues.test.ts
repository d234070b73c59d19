import { describe, expect, it } from 'vitest';
import { parseCase } from '../../src/sandbox/test-case.ts';
import { WasmForgeError } from '../../src/shared/errors.ts';

/** The problems INVALID_TEST_CASE names for a case file's text, as `place: problem`. */
function problems(testCase: unknown): string[] {
  try {
    parseCase(JSON.stringify(testCase), 'case.json');
  } catch (error) {
    if (!(error instanceof WasmForgeError) || error.code !== 'INVALID_TEST_CASE') throw error;
    const info = error.toInfo();
    if (info.code !== 'INVALID_TEST_CASE' || !info.details) throw error;
    // The message lists the same problems, one a line, as the details do.
    for (const issue of info.details.issues) expect(info.message).toContain(`  ${issue.path}: ${issue.message}`);
    return info.details.issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('the case was accepted');
}

const answer = { model: 'qwen2.5:1.5b', prompt: 'Summarize: x', response: 'X.' };

// An "ai" answer is a call_ai answer or an embed() answer: zod's own word for a union that fails is
// "Invalid input" at ai[0]; the problems of the answer the entry is closest to name the field.
describe('INVALID_TEST_CASE names the field and the problem inside an "ai" answer', () => {
  it('a model that is not text', () => {
    expect(problems({ ai: [{ model: 1 }], expect: {} })).toEqual(['ai[0].model: expected a string, received a number', 'ai[0].response: missing: a string is required']);
    expect(problems({ ai: [answer, { ...answer, model: 1 }], expect: {} })).toEqual(['ai[1].model: expected a string, received a number']);
  });

  it('a call_ai answer without a prompt (or messages) or without its response', () => {
    expect(problems({ ai: [{ model: 'm', response: 'r' }], expect: {} })).toEqual([
      'ai[0].prompt: give the prompt (or "messages") the plugin sends to call_ai',
    ]);
    expect(problems({ ai: [{ model: 'm', prompt: 'p' }], expect: {} })).toEqual(['ai[0].response: missing: a string is required']);
    expect(problems({ ai: [{ model: 'm', prompt: 3, response: 'r' }], expect: {} })).toEqual(['ai[0].prompt: expected a string, received a number']);
  });

  it('an embed() answer without its embeddings, and an unknown field in an answer', () => {
    expect(problems({ ai: [{ model: 'm', embed: 'x' }], expect: {} })).toEqual(['ai[0].embeddings: missing: an array is required']);
    expect(problems({ ai: [{ ...answer, temprature: 0 }], expect: {} })).toEqual(['ai[0]: unknown field "temprature"']);
    expect(problems({ ai: ['just text'], expect: {} })).toEqual(['ai[0]: expected an object, received a string']);
  });

  it('an unknown check in "expect", and a check of the wrong type', () => {
    expect(problems({ ai: [answer], expect: { output: 'X.', outptu: 'X.' } })).toEqual(['expect: unknown field "outptu"']);
    expect(problems({ expect: { contains: 'X' } })).toEqual(['expect.contains: expected an array, received a string']);
  });

  it('a chat answer is a valid answer without a prompt', () => {
    expect(parseCase(JSON.stringify({ ai: [{ model: 'm', messages: [{ role: 'user', content: 'hi' }], response: 'r' }], expect: {} }), 'c.json').ai)
      .toHaveLength(1);
  });
});
