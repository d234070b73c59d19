import { describe, expect, it } from 'vitest';
import sdk from '../../../../sdk/platform_sdk.py?raw';
import stub from '../../../../sdk/platform_sdk.pyi?raw';
import { parseSdkStub, publicEntries } from './sdk-stub.ts';

describe('SDK stub parser', () => {
  it('reads functions, classes, multi-line signatures and docstrings', () => {
    const entries = parseSdkStub([
      'def get_input() -> str:',
      '    """Return the whole input."""',
      '',
      'def call_ai(model: str,',
      '            prompt: str | None = None) -> str:',
      '    """Ask a model.',
      '',
      '    Raises AIError.',
      '    """',
      '    ...',
      'class AIError(WasmForgeError):',
      '    """An AI call failed."""',
      'def _private(): ...',
    ].join('\n'));
    expect(entries.map((e) => e.name)).toEqual(['get_input', 'call_ai', 'AIError', '_private']);
    expect(entries[1]).toMatchObject({ kind: 'function', signature: 'call_ai(model: str, prompt: str | None = None) -> str', doc: 'Ask a model.\n\nRaises AIError.' });
    expect(entries[2]).toMatchObject({ kind: 'class', doc: 'An AI call failed.' });
    expect(publicEntries(entries).map((e) => e.name)).not.toContain('_private');
  });

  it('merges overloads: the first signature, the docstring of whichever has one', () => {
    const entries = parseSdkStub([
      '@overload',
      'def call_ai(',
      '    model: str,',
      '    stream: Literal[False] = False,',
      ') -> str: ...',
      '@overload',
      'def call_ai(model: str, stream: Literal[True]) -> "AIStream":',
      '    """Ask an approved model."""',
    ].join('\n'));
    expect(entries).toEqual([{ name: 'call_ai', kind: 'function', signature: 'call_ai(model: str, stream: Literal[False] = False) -> str', doc: 'Ask an approved model.' }]);
  });

  it('finds the four original functions in the real SDK', () => {
    const names = publicEntries(parseSdkStub(sdk)).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['get_input', 'send_output', 'call_ai', 'list_models']));
    expect(parseSdkStub(sdk).find((e) => e.name === 'call_ai')?.doc).toContain('approved model');
  });

  it('reads the typed stub the editor is served', () => {
    const entries = publicEntries(parseSdkStub(stub));
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(['get_input', 'send_output', 'call_ai', 'list_models']));
    expect(entries.find((e) => e.name === 'call_ai')).toMatchObject({ signature: expect.stringMatching(/^call_ai\(model: str, prompt: str \| None = None,/), doc: expect.stringContaining('approved model') });
  });
});
