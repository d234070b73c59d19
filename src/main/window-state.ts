import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../library/atomic-write.ts';

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(640).max(10_000),
  height: z.number().int().min(480).max(10_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof stateSchema>;

const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };

/** The window's last size and place; a missing or damaged file just means the default. */
export function loadWindowState(userData: string): WindowState {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(stateFile(userData), 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_STATE;
  } catch {
    return DEFAULT_STATE;
  }
}

export async function saveWindowState(userData: string, state: WindowState): Promise<void> {
  const parsed = stateSchema.safeParse(state);
  if (parsed.success) await writeFileAtomic(stateFile(userData), JSON.stringify(parsed.data));
}

/**
 * The same, before returning: a window closes as the app quits, and the process may be gone before
 * an asynchronous write lands. Written beside and renamed, so a crash never leaves half a file.
 */
export function saveWindowStateSync(userData: string, state: WindowState): void {
  const parsed = stateSchema.safeParse(state);
  if (!parsed.success) return;
  const file = stateFile(userData);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(parsed.data));
    renameSync(temporary, file);
  } catch {
    // A read-only or full disk costs only the window's place next time.
  }
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How much of the window's title bar must be on a display for its saved place to be kept. */
const GRIP = { width: 100, height: 30 };

/**
 * The saved place only when the window's title bar would be on a display there is now (enough to
 * grab it); otherwise the size alone, and the system centres the window. A monitor that was
 * unplugged must not leave the window out of reach.
 */
export function placeOnDisplays(state: WindowState, workAreas: readonly Area[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const titleBar = { x: state.x, y: state.y, width: state.width, height: GRIP.height };
  if (workAreas.some((area) => overlap(titleBar, area, 'x') >= GRIP.width && overlap(titleBar, area, 'y') >= GRIP.height)) return state;
  const { x: _x, y: _y, ...size } = state;
  return size;
}

function overlap(a: Area, b: Area, axis: 'x' | 'y'): number {
  const length = axis === 'x' ? 'width' : 'height';
  return Math.min(a[axis] + a[length], b[axis] + b[length]) - Math.max(a[axis], b[axis]);
}

function stateFile(userData: string): string {
  return join(userData, 'window-state.json');
}
