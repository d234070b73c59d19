import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { WasmForgeError } from '../shared/errors.ts';
import { storedSettingsSchema, type Settings } from '../shared/api/schemas/settings.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { dataPath } from './home.ts';

/**
 * User settings, one JSON file in the data folder. The rules and defaults live with the API's
 * settings schema (src/shared/api/schemas/settings.ts), so what the app accepts and what is
 * stored cannot drift apart; every field has a default, so old files load.
 */
export const settingsSchema = storedSettingsSchema;
export type { Settings };

export function settingsFile(home: string): string {
  return dataPath(home, 'settings.json');
}

export async function loadSettings(home: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(settingsFile(home), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({});
    throw new WasmForgeError('STORAGE_ERROR', `Could not read settings: ${(error as Error).message}`);
  }
  const parsed = settingsSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new WasmForgeError('BAD_INPUT', `settings.json is not valid: ${z.prettifyError(parsed.error)}`, {
      hint: `Fix or delete ${settingsFile(home)}`,
    });
  }
  return parsed.data;
}

export async function saveSettings(home: string, settings: Settings): Promise<void> {
  await writeFileAtomic(settingsFile(home), JSON.stringify(settingsSchema.parse(settings), null, 2) + '\n');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
