import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The editor's completions come from the stub: every public SDK name must be in it.
const sdk = readFileSync(new URL('../../sdk/platform_sdk.py', import.meta.url), 'utf8');
const stub = readFileSync(new URL('../../sdk/platform_sdk.pyi', import.meta.url), 'utf8');

describe('platform_sdk.pyi', () => {
  const exported = [.../__all__ = \[([^\]]+)\]/s.exec(sdk)![1]!.matchAll(/"(\w+)"/g)].map((m) => m[1]!);

  it('declares every name the SDK exports', () => {
    expect(exported.length).toBeGreaterThan(10);
    const missing = exported.filter((name) => !new RegExp(`^((def|class) ${name}\\b|import ${name} as ${name}\\b)`, 'm').test(stub));
    expect(missing).toEqual([]);
  });

  it('gives every public function and class a docstring', () => {
    // Top-level blocks start at `def`, `class` or `@overload`; one block per name must hold a docstring.
    const blocks = stub.split(/\n(?=def |class |@overload)/);
    const documented = (name: string) => blocks.some((block) => new RegExp(`^(def|class) ${name}\\b`).test(block) && block.includes('"""'));
    const modules = exported.filter((name) => new RegExp(`^import ${name} as ${name}\\b`, 'm').test(stub));
    expect(exported.filter((name) => !documented(name) && !modules.includes(name))).toEqual([]);
  });
});
