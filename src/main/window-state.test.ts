import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWindowState, saveWindowState } from './window-state.ts';

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
});
