import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { SEMVER_PATTERN } from './names.ts';
import { versionSchema } from './schemas/plugins.ts';

describe('the UI\'s version pattern', () => {
  // The Builder checks versions with this pattern (no zod or semver in its first bundle); the contract with npm's semver.
  it.each([
    '1.0.0', '0.0.1', '10.20.30', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-0.3.7', '1.0.0-x-y.7.z.92', '1.0.0-rc.1',
    '01.0.0', '1.00.0', '1.0.0-01', '1.0.0+build', 'v1.0.0', '1.0', '1.0.0-', '1.0.0-a..b', ' 1.0.0', '',
  ])('agrees with the contract on %j', (version) => {
    const contract = versionSchema.safeParse(version).success;
    expect(SEMVER_PATTERN.test(version)).toBe(contract);
    expect(contract).toBe(semver.valid(version) === version && !version.includes('+'));
  });
});
