import { describe, expect, it } from 'vitest';
import { LIMIT_FIELDS, limitFieldProblem } from './limit-fields.ts';

const field = (key: string) => LIMIT_FIELDS.find((f) => f.key === key)!;

describe('a limit typed in the Settings form', () => {
  it('says in words, in the form\'s units, what is wrong', () => {
    expect(limitFieldProblem(field('memoryBytes'), '5000')).toBe('At most 4096 MiB');
    expect(limitFieldProblem(field('wallTimeMs'), '-5')).toBe('Must be a positive number');
    expect(limitFieldProblem(field('wallTimeMs'), '0')).toBe('Must be a positive number');
    expect(limitFieldProblem(field('wallTimeMs'), '90000')).toBe('At most 86400 s');
    expect(limitFieldProblem(field('aiCalls'), '-1')).toBe('Must be 0 or more');
    expect(limitFieldProblem(field('aiCalls'), '10001')).toBe('At most 10000');
    expect(limitFieldProblem(field('inputBytes'), 'ten')).toBe('Must be a number');
    expect(limitFieldProblem(field('aiCalls'), '2.5')).toBe('Must be a whole number');
    expect(limitFieldProblem(field('aiTokens'), '1.5')).toBe('Must be a whole number');
    expect(limitFieldProblem(field('inputBytes'), '1.5')).toBeUndefined(); // 1536 bytes
  });

  it('accepts the empty field (the default), zero AI calls, and each maximum itself', () => {
    expect(limitFieldProblem(field('memoryBytes'), '')).toBeUndefined();
    expect(limitFieldProblem(field('aiCalls'), '0')).toBeUndefined();
    expect(limitFieldProblem(field('memoryBytes'), '4096')).toBeUndefined();
    expect(limitFieldProblem(field('wallTimeMs'), '0.5')).toBeUndefined();
  });
});
