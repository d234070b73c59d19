import { describe, expect, it } from 'vitest';
import { ENTRY_FILE, pluginFilesProblem, pluginPathProblem } from './plugin-files.ts';

describe('which paths name a plugin file (the folder reader\'s rule)', () => {
  it.each([
    ['plugin.json', 'manifest'],
    ['plugin.json.123-abcdefabcdef.next', 'manifest'],
    ['tests/case.py', 'test cases'],
    ['tests', 'test cases'],
    ['__pycache__/x.py', 'cache'],
    ['pkg/__pycache__/x.py', 'cache'],
    ['pkg/helpers.pyc', 'cache'],
    ['pkg/.env', 'hidden'],
  ])('refuses %s, which a folder leaves out, saying why', (path, words) => {
    expect(pluginPathProblem(path)).toContain(words);
    expect(pluginFilesProblem({ [path]: 'x', [ENTRY_FILE]: 'pass' })).toMatchObject({ path, reason: 'bad-path' });
  });

  it.each(['plugin.py', 'helpers.py', 'pkg/tests/case.py', 'data/plugin.json', 'testing/x.py', 'pkg/__init__.py'])('accepts %s, which a folder keeps', (path) => {
    expect(pluginPathProblem(path)).toBeNull();
  });
});
