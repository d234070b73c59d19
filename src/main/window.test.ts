import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { displays, type FakeBrowserWindow, userData } from '../../test/support/fake-electron.ts';
import { createMainWindow } from './window.ts';
import { loadWindowState, saveWindowState } from './window-state.ts';

vi.mock('electron', async () => (await import('../../test/support/fake-electron.ts')).electron);
afterAll(() => rmSync(userData, { recursive: true, force: true }));

/** The window as the stand-in Electron made it. */
const open = () => createMainWindow({ userData, preload: '/app/preload/index.cjs', url: 'app://wasmforge/index.html' }) as unknown as FakeBrowserWindow;

describe('the main window', () => {
  it('comes back where it was when that place is on a display', async () => {
    await saveWindowState(userData, { x: 200, y: 100, width: 1000, height: 700, maximized: false });
    expect(open().options).toMatchObject({ x: 200, y: 100, width: 1000, height: 700 });
  });

  it('keeps only its size when the display it was on is gone', async () => {
    // It was on a second monitor, to the right of this one, which has been unplugged.
    await saveWindowState(userData, { x: 2200, y: 100, width: 1000, height: 700, maximized: false });
    const { options } = open();
    expect(options).toMatchObject({ width: 1000, height: 700 });
    expect(options.x).toBeUndefined();
    expect(options.y).toBeUndefined();
  });

  it('uses the second display while it is there', async () => {
    displays.push({ workArea: { x: 1920, y: 0, width: 2560, height: 1400 } });
    try {
      await saveWindowState(userData, { x: 2200, y: 100, width: 1000, height: 700, maximized: true });
      const window = open();
      expect(window.options).toMatchObject({ x: 2200, y: 100 });
      expect(window.maximize).toHaveBeenCalled();
    } finally {
      displays.pop();
    }
  });

  it('saves its bounds when it closes', async () => {
    await saveWindowState(userData, { x: 10, y: 20, width: 900, height: 600, maximized: false });
    const window = open();
    await saveWindowState(userData, { width: 1280, height: 820, maximized: true });
    window.emit('close');
    await vi.waitFor(() => expect(loadWindowState(userData)).toEqual({ x: 10, y: 20, width: 900, height: 600, maximized: false }));
  });
});
