import { readFileSync } from 'node:fs';
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

function stateFile(userData: string): string {
  return join(userData, 'window-state.json');
}
