import { describe, expect, it } from 'vitest';
import { installedOwnerLabel, ownerLabel, ownerName, youToo } from './owner-label.ts';

describe('naming the owner of a plugin', () => {
  it('a shared marketplace: the display name with the role beside it, or the role alone', () => {
    expect(ownerLabel({ ownerName: 'Ada', ownerRole: 'ada_role' })).toBe('Ada (ada_role)');
    expect(ownerLabel({ ownerName: null, ownerRole: 'ada_role' })).toBe('ada_role');
  });

  it("the local marketplace: the display name alone (PGlite's role names nobody), else `you`", () => {
    expect(ownerLabel({ ownerName: 'Ada', ownerRole: null })).toBe('Ada');
    expect(ownerName({ ownerName: null, ownerRole: null })).toBe('you');
    expect(youToo({ ownerName: null, ownerRole: null, mine: true })).toBe('');
    expect(youToo({ ownerName: 'Ada', ownerRole: null, mine: true })).toBe(' (you)');
  });

  it('an installed copy (`wasmforge list`): the same rule, and `unknown` for a bundle', () => {
    expect(installedOwnerLabel({ origin: 'marketplace', ownerName: null, ownerRole: null })).toBe('you');
    expect(installedOwnerLabel({ origin: 'marketplace', ownerName: 'Ada', ownerRole: null })).toBe('Ada');
    expect(installedOwnerLabel({ origin: 'marketplace', ownerName: null, ownerRole: 'ada_role' })).toBe('ada_role');
    expect(installedOwnerLabel({ origin: 'bundle', ownerName: null, ownerRole: null })).toBe('unknown');
  });
});
