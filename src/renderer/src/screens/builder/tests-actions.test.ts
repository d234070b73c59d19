import { describe, expect, it } from 'vitest';
import { suggestedCaseName } from './tests-actions.ts';

describe('the name Save as test case suggests', () => {
  it('is the first words of the run input, made plain, or says the input was empty', () => {
    expect(suggestedCaseName('The quarterly report, Q3 2026: revenue…')).toBe('the quarterly report q3');
    expect(suggestedCaseName('{"lang": "fr"}')).toBe('lang fr');
    expect(suggestedCaseName('  \n ')).toBe('empty input');
    expect(suggestedCaseName('x'.repeat(80)).length).toBe(40);
  });
});
