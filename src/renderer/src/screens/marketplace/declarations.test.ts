import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ReviewedVersion } from '../../../../shared/api/schemas/marketplace.ts';
import { DEFAULT_LIMITS } from '../../../../shared/limits.ts';
import { Declarations } from './Declarations.tsx';

// Issue #10: the plugin page and the consent dialog showed the viewer's own settings as what the
// plugin "declares". What it declares comes from its manifest alone; this machine's limits apply apart.
const VIEWER = { ...DEFAULT_LIMITS, wallTimeMs: 7000 };

function version(limits: ReviewedVersion['manifest']['limits']): ReviewedVersion {
  return {
    version: '1.0.0', code: 'pass', files: {}, sha256: '0'.repeat(64), fingerprint: 'f', verified: true, problem: null, yanked: false, yankReason: null,
    manifest: { name: 'tool', version: '1.0.0', description: '', tags: [], models: ['qwen2.5:1.5b'], inputType: 'text', inputHint: '', limits },
  };
}

function section(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`);
  expect(start, testId).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</dl>', start));
}

describe('what a plugin declares, apart from what its runs get here', () => {
  it('lists only the limits its manifest sets as declared; the viewer\'s settings show as what runs get here', () => {
    const html = renderToStaticMarkup(createElement(Declarations, { version: version({ aiCalls: 2 }), appLimits: VIEWER }));
    const declared = section(html, 'declared');
    expect(declared).toContain('qwen2.5:1.5b');
    expect(declared).toContain('AI calls: 2 per run');
    expect(declared).not.toContain('7.00 s');
    const applied = section(html, 'applied');
    expect(applied).toContain('up to 2 calls');
    expect(applied).toContain('7.00 s');
  });

  it('a plugin that declares no limits is said to declare none', () => {
    const html = renderToStaticMarkup(createElement(Declarations, { version: version({}), appLimits: VIEWER }));
    expect(section(html, 'declared')).toContain('None of its own');
  });
});
