import { describe, expect, it } from 'vitest';
import { ownershipRefusal } from './publish-checks.ts';

describe('publishing over a name someone else owns', () => {
  it('says "not the owner" to a user who installed that plugin, and "taken" to one who merely chose the name', () => {
    const over = ownershipRefusal('word-counter', 'alice', 'bob', true);
    expect(over.code).toBe('NOT_OWNER');
    expect(over.message).toBe(`You are not the owner of "word-counter": it is alice's plugin, and only its owner can publish versions of it`);
    const taken = ownershipRefusal('word-counter', 'alice', 'bob', false);
    expect(taken.code).toBe('ALREADY_EXISTS');
    expect(taken.message).toContain('The name "word-counter" is taken');
    expect(taken.hint).toBe('Rename your plugin (e.g. "word-counter-bob") to publish it as your own.');
    expect(taken.toInfo()).toMatchObject({ details: { name: 'word-counter', owner: 'alice', suggestedName: 'word-counter-bob' } });
    expect(over.toInfo()).toMatchObject({ details: { suggestedName: 'word-counter-bob' } });
  });

  it('suggests a valid plugin name even for database roles with underscores', () => {
    expect(ownershipRefusal('tool', 'alice', 'wf_e2e_b', false).details).toMatchObject({ suggestedName: 'tool-wf-e2e-b' });
  });
});
