import { describe, expect, it } from 'vitest';
import { safePluginFilename } from './plugin-source.ts';

describe('safePluginFilename', () => {
  it.each([
    ['/home/me/plugin.py', 'plugin.py'],
    ['my plugin.py', 'my_plugin.py'],
    ['résumé.py', 'resume.py'],
    ['Ünïcödé tool.py', 'Unicode_tool.py'],
    ['echo.PY', 'echo.py'],
    ['echo', 'echo.py'],
    ['notes.txt', 'notes.txt.py'],
    ['插件.py', 'plugin.py'],
    ['.hidden.py', 'hidden.py'],
    ['a'.repeat(300), `${'a'.repeat(96)}.py`],
  ])('%s → %s', (path, expected) => {
    const name = safePluginFilename(path);
    expect(name).toBe(expected);
    // The sandbox's own rule for file names.
    expect(name).toMatch(/^[\w.-]{1,100}\.py$/);
  });
});
