import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { WasmForgeError } from '../shared/errors.ts';
import { engineNameSchema } from '../shared/run.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { dataPath } from './home.ts';

/** User settings, one JSON file in the data folder. Every field has a default, so old files load. */
export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  ollama: z.object({
    host: z.string().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    allowList: z.array(z.string()).default(['mistral:latest', 'qwen2.5:1.5b', 'gemma2:2b', 'llama3.2:latest']),
  }).prefault({}),
  marketplace: z.object({ databaseUrl: z.string().optional() }).prefault({}),
  /** Shown beside the author key fingerprint; the marketplace itself knows authors by database role and key. */
  author: z.object({ displayName: z.string().max(100).default('') }).prefault({}),
  sandbox: z.object({
    engine: engineNameSchema.default('embedded'),
    warmPoolSize: z.number().int().min(0).max(8).default(2),
    limits: z.object({
      wallTimeMs: z.number().int().positive().optional(),
      computeTimeMs: z.number().int().positive().optional(),
      aiTokens: z.number().int().nonnegative().optional(),
      memoryBytes: z.number().int().positive().optional(),
      aiCalls: z.number().int().nonnegative().optional(),
      promptChars: z.number().int().positive().optional(),
      inputBytes: z.number().int().positive().optional(),
      outputBytes: z.number().int().positive().optional(),
      logBytes: z.number().int().positive().optional(),
    }).default({}),
  }).prefault({}),
  ui: z.object({ theme: z.enum(['dark', 'light']).default('dark') }).prefault({}),
});
export type Settings = z.infer<typeof settingsSchema>;

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
