import { describe, expect, it } from 'vitest';
import { pluginFromHash, pluginHash, shareableLink } from './links.ts';

describe('links to a plugin page', () => {
  it('reads a name and an optional version, and nothing that is not one', () => {
    expect(pluginFromHash('#/marketplace/word-teller@1.2.0')).toEqual({ name: 'word-teller', version: '1.2.0' });
    expect(pluginFromHash('#/marketplace/word-teller')).toEqual({ name: 'word-teller' });
    expect(pluginFromHash('#/marketplace/word-teller@1.2.0&token=abc')).toEqual({ name: 'word-teller', version: '1.2.0' });
    expect(pluginFromHash('#/marketplace')).toBeUndefined();
    expect(pluginFromHash('#/marketplace/Bad Name')).toBeUndefined();
    expect(pluginFromHash('#/marketplace/ab@1.0')).toBeUndefined();
    expect(pluginFromHash('#/builder/word-teller')).toBeUndefined();
  });

  it('makes the browser link from the page address, the desktop one with the app scheme, neither with a token', () => {
    expect(pluginHash({ name: 'a-b', version: '0.1.0' })).toBe('#/marketplace/a-b@0.1.0');
    const where = { origin: 'http://127.0.0.1:5173', pathname: '/' };
    expect(shareableLink({ name: 'a-b', version: '0.1.0' }, { ...where, desktop: false })).toBe('http://127.0.0.1:5173/#/marketplace/a-b@0.1.0');
    expect(shareableLink({ name: 'a-b', version: '0.1.0' }, { ...where, desktop: true })).toBe('wasmforge://plugin/a-b@0.1.0');
  });
});
