import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The editor's language server knows platform_sdk only from its stub: the stub must say what the
// SDK really accepts. Compared with Python's own parser (ast), parameter by parameter.
const script = fileURLToPath(new URL('./compare-signatures.py', import.meta.url));
const implementation = fileURLToPath(new URL('../../sdk/platform_sdk.py', import.meta.url));
const stub = fileURLToPath(new URL('../../sdk/platform_sdk.pyi', import.meta.url));

function mismatches(implementationPath: string, stubPath: string): string[] {
  return JSON.parse(execFileSync('python3', [script, implementationPath, stubPath], { encoding: 'utf8' })) as string[];
}

/** A copy of the stub with one edit, to prove the comparison sees that kind of drift. */
function stubWith(from: string, to: string): string {
  const text = readFileSync(stub, 'utf8');
  expect(text).toContain(from);
  const path = join(mkdtempSync(join(tmpdir(), 'wf-stub-')), 'platform_sdk.pyi');
  writeFileSync(path, text.replace(from, to));
  return path;
}

describe('platform_sdk.pyi against platform_sdk.py', () => {
  it('declares every exported function with the implementation\'s parameters (names, kinds, order, defaults)', () => {
    expect(mismatches(implementation, stub)).toEqual([]);
  });

  it('sees a renamed parameter, a changed default, a dropped overload parameter and a missing class', () => {
    expect(mismatches(implementation, stubWith('def get_input_json() -> Any:', 'def get_input_json(strict: bool) -> Any:'))).toEqual([
      expect.stringMatching(/^get_input_json: /),
    ]);
    expect(mismatches(implementation, stubWith('*, return_exceptions: bool = False', '*, return_exceptions: bool = True'))).toEqual([
      expect.stringMatching(/^call_ai_many: .*'True'/),
    ]);
    expect(mismatches(implementation, stubWith('    max_tokens: int | None = None,\n    json: bool = False,\n    messages: Sequence[ChatMessage] | None = None,\n    images: Sequence[bytes | str] | None = None,\n    stream: Literal[True],', '    json: bool = False,\n    messages: Sequence[ChatMessage] | None = None,\n    images: Sequence[bytes | str] | None = None,\n    stream: Literal[True],'))).toEqual([
      expect.stringMatching(/^call_ai: /),
    ]);
    expect(mismatches(implementation, stubWith('class ReplayMissError(AIError):', 'class ReplayMiss(AIError):'))).toEqual(['ReplayMissError: missing from the stub']);
  });
});
