import { describe, expect, it } from 'vitest';
import type { MarketDetail } from '../shared/api/schemas/marketplace.ts';
import { pluginManifestSchema } from '../shared/api/schemas/plugins.ts';
import { describeInstall } from './install-consent.ts';

const manifest = (models: string[], limits = {}) => pluginManifestSchema.parse({ name: 'summarize', version: '1.1.0', models, limits });

function detail(overrides: Partial<MarketDetail['selected']> = {}, description = 'Summarizes text'): MarketDetail {
  const files = overrides.files ?? {};
  return {
    plugin: {
      name: 'summarize', owner: 'ada', description, tags: [], latestVersion: '1.1.0', downloads: 3, ownerFingerprint: 'SHA256:abcdefghijklmnopqrstuvwxyz', ownerName: null,
      models: ['mistral'], createdAt: '', updatedAt: '', verified: true, installedVersion: null, mine: false, ownerRole: 'ada',
    },
    versions: [],
    selected: {
      version: '1.1.0', code: 'a\nb\nc\n', files, manifest: manifest(['mistral'], { wallTimeMs: 20_000, memoryBytes: 64 * 1024 * 1024 }),
      sha256: '0'.repeat(64), fingerprint: 'SHA256:abcdefghijklmnopqrstuvwxyz', verified: true, problem: null, yanked: false, yankReason: null, ...overrides,
    },
    installed: null,
  };
}

describe('the consent install and update show', () => {
  it('names the signer, the models, the limits in units people read, and the size of the code', () => {
    expect(describeInstall(detail())).toBe([
      'summarize 1.1.0 by ada, key SHA256:abcdefghi… (signature verified)',
      '  Summarizes text',
      '  models it may call: mistral',
      '  limits it sets for itself: Time 20.0 s, Memory 64.0 MiB',
      '  input: text; code: 3 lines, 6 B',
      '',
    ].join('\n'));
  });

  it('names a bundle\'s signer by its key alone, and says what was checked and what was not', () => {
    expect(describeInstall(detail(), undefined, { bundle: true }).split('\n')[0])
      .toBe('summarize 1.1.0, signed by key SHA256:abcdefghijklmnopqrstuvwxyz (the signature is valid; the key is not checked against a marketplace)');
  });

  it("lists a multi-file plugin's every file with its size, counts them all in its code, and says which an update changes", () => {
    const files = { 'helpers.py': 'x = 1\n', 'data/words.txt': 'a b' };
    const text = describeInstall(detail({ files }));
    expect(text).toContain('  input: text; code: 5 lines, 15 B in 3 files\n  files: plugin.py (3 lines, 6 B), data/words.txt (1 line, 3 B), helpers.py (1 line, 6 B)\n');
    const update = describeInstall(detail({ files }), { version: '1.0.0', code: 'a\nb\nc\n', files: { 'helpers.py': 'x = 0\n', 'old.py': '' }, manifest: manifest(['mistral']) });
    expect(update).toContain('    code: 4 -> 5 lines, changed\n    files: data/words.txt added, helpers.py changed, old.py removed\n');
    const sameFiles = describeInstall(detail({ files }), { version: '1.0.0', code: 'a\nb\nc\n', files, manifest: manifest(['mistral']) });
    expect(sameFiles).toContain('    code: unchanged\n');
  });

  it('says what an update changes: models added and dropped, limits, code', () => {
    const text = describeInstall(detail(), { version: '1.0.0', code: 'a\n', manifest: manifest(['llama3']) });
    expect(text).toContain('  changes from the installed 1.0.0:\n    models: +mistral -llama3\n'
      + '    limits: Time not set -> 20.0 s, Memory not set -> 64.0 MiB\n    code: 1 -> 3 lines, changed\n');
  });

  it('shouts a signature that does not verify, and cannot be driven by control sequences in a description', () => {
    const text = describeInstall(detail({ verified: false, problem: 'signed by another key' }, 'nice\u001b[2Jcleared'));
    expect(text).toContain('(SIGNATURE NOT VERIFIED: signed by another key)');
    expect(text).not.toContain('\u001b');
  });
});
