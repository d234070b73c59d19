import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWindowState, placeOnDisplays, saveWindowState } from './window-state.ts';

describe('window state', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-window-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('remembers size, place and maximized', async () => {
    await saveWindowState(dir, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(dir)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });

  it('falls back to the default for a missing, damaged or absurd file', async () => {
    expect(loadWindowState(dir)).toMatchObject({ width: 1280, height: 820 });
    await writeFile(join(dir, 'window-state.json'), '{"width": 5, "height": 99999999');
    expect(loadWindowState(dir)).toMatchObject({ width: 1280, height: 820 });
    await writeFile(join(dir, 'window-state.json'), '{"width": 5, "height": 5, "maximized": false}');
    expect(loadWindowState(dir)).toMatchObject({ width: 1280, height: 820 });
  });

  it('keeps the saved place only when the title bar can be grabbed on a display there is', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
    const at = (x: number, y: number) => ({ x, y, width: 1000, height: 700, maximized: false });
    expect(placeOnDisplays(at(100, 100), screen)).toEqual(at(100, 100));
    expect(placeOnDisplays(at(1800, 100), screen)).toEqual(at(1800, 100)); // 120 px of title bar on screen
    expect(placeOnDisplays(at(1850, 100), screen)).toEqual({ width: 1000, height: 700, maximized: false });
    expect(placeOnDisplays(at(100, -500), screen)).toEqual({ width: 1000, height: 700, maximized: false });
    expect(placeOnDisplays(at(100, 100), [])).toEqual({ width: 1000, height: 700, maximized: false });
    expect(placeOnDisplays({ width: 1000, height: 700, maximized: true }, screen)).toEqual({ width: 1000, height: 700, maximized: true });
  });
});
