import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { deepLinkIn, hashFor, pluginFromDeepLink, registerDeepLinks } from './deep-link.ts';

describe('wasmforge:// links', () => {
  it('read a plugin and an optional version, and nothing else', () => {
    expect(pluginFromDeepLink('wasmforge://plugin/word-teller@1.2.0')).toEqual({ name: 'word-teller', version: '1.2.0' });
    expect(pluginFromDeepLink('wasmforge://plugin/word-teller')).toEqual({ name: 'word-teller' });
    expect(pluginFromDeepLink('wasmforge://plugin/word-teller/')).toEqual({ name: 'word-teller' });
    for (const hostile of [
      'wasmforge://plugin/word-teller@1.2.0?install=1', 'wasmforge://plugin/../../etc', 'wasmforge://install/word-teller',
      'wasmforge://plugin/Word Teller', 'wasmforge://plugin/word-teller@latest', 'javascript:alert(1)', 'wasmforge://plugin/a@1.0.0#x',
    ]) expect(pluginFromDeepLink(hostile)).toBeUndefined();
  });

  it('are found on a second start\'s command line and become the page\'s address', () => {
    expect(deepLinkIn(['/usr/bin/wasmforge', '--flag', 'wasmforge://plugin/haiku@0.1.0'])).toEqual({ name: 'haiku', version: '0.1.0' });
    expect(deepLinkIn(['/usr/bin/wasmforge'])).toBeUndefined();
    expect(hashFor({ name: 'haiku', version: '0.1.0' })).toBe('#/marketplace/haiku@0.1.0');
  });

  it('register the scheme (naming the script in a dev run) and take macOS open-url links', () => {
    const app = Object.assign(new EventEmitter(), { setAsDefaultProtocolClient: vi.fn(() => true) });
    const opened: unknown[] = [];
    registerDeepLinks(app, (link) => opened.push(link), { defaultApp: true, script: 'out/main/index.js' });
    expect(app.setAsDefaultProtocolClient).toHaveBeenCalledWith('wasmforge', process.execPath, [expect.stringMatching(/out\/main\/index\.js$/)]);
    const preventDefault = vi.fn();
    app.emit('open-url', { preventDefault }, 'wasmforge://plugin/haiku');
    app.emit('open-url', { preventDefault }, 'wasmforge://plugin/haiku?install');
    expect(opened).toEqual([{ name: 'haiku' }]);
    expect(preventDefault).toHaveBeenCalledTimes(2);
  });
});
