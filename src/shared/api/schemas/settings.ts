import { z } from 'zod';
import { engineNameSchema } from '../../run.ts';
import { partialLimitsSchema } from './limits.ts';

export const THEMES = ['dark', 'light'] as const;

/**
 * Stands for a secret (a password in a URL, an Ollama header value, the server token) in what the
 * API shows; given back unchanged in an update, it means "keep the stored one".
 */
export const SECRET_MASK = '********';

/** 16 to 256 visible ASCII characters that the sign-in URL's fragment and a Bearer header carry as they are. */
export const SERVER_TOKEN_PATTERN = /^(?:(?![%&#])[\x21-\x7e]){16,256}$/;
export const SERVER_TOKEN_RULE = 'The server token must be 16 to 256 visible ASCII characters, without % & or #';
export const serverTokenSchema = z.string().regex(SERVER_TOKEN_PATTERN, { message: SERVER_TOKEN_RULE });

/**
 * The rules for every setting, in one place. The library stores exactly this shape
 * (src/library/settings.ts, with the defaults below filled in), the API shows it (secrets masked)
 * and changes it section by section.
 */
const sections = {
  ollama: z.object({
    host: z.string().max(500).optional(),
    headers: z.record(z.string().max(200), z.string().max(4000)),
    allowList: z.array(z.string().max(100)).max(200),
  }),
  marketplace: z.object({ databaseUrl: z.string().max(2000).optional() }),
  /** Shown beside the author key fingerprint; the marketplace itself knows authors by database role and key. */
  author: z.object({ displayName: z.string().max(100) }),
  sandbox: z.object({
    engine: engineNameSchema,
    warmPoolSize: z.number().int().min(0).max(8),
    limits: partialLimitsSchema,
  }),
  ui: z.object({ theme: z.enum(THEMES) }),
  /** `wasmforge serve`: a fixed token instead of a random one per start (WASMFORGE_TOKEN wins over it). */
  server: z.object({ token: serverTokenSchema.optional() }),
};

/** What the API shows and takes: the same rules, but the server token may be the mask too (elsewhere the mask is a valid value already). */
const apiSections = { ...sections, server: z.object({ token: z.union([z.literal(SECRET_MASK), serverTokenSchema]).optional() }) };

const storedSchema = z.object({ version: z.literal(1), ...sections });
export type Settings = z.infer<typeof storedSchema>;

export const settingsViewSchema = z.object({ version: z.literal(1), ...apiSections });
export type SettingsView = z.infer<typeof settingsViewSchema>;

type SectionName = keyof typeof sections;
const SECTION_NAMES = Object.keys(sections) as SectionName[];

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  ollama: { headers: {}, allowList: ['mistral:latest', 'qwen2.5:1.5b', 'gemma2:2b', 'llama3.2:latest'] },
  marketplace: {},
  author: { displayName: '' },
  sandbox: { engine: 'embedded', warmPoolSize: 2, limits: {} },
  ui: { theme: 'dark' },
  server: {},
};

/** settings.json as stored: a section or field left out takes its default, so old files load. */
export const storedSettingsSchema = z.preprocess(withDefaults, storedSchema);

/** A change to some settings: each section may be given in part (the same rules, no defaults). */
export const settingsPatchSchema = z.object({
  ollama: apiSections.ollama.partial().strict().optional(),
  marketplace: apiSections.marketplace.partial().strict().optional(),
  author: apiSections.author.partial().strict().optional(),
  sandbox: apiSections.sandbox.partial().strict().optional(),
  ui: apiSections.ui.partial().strict().optional(),
  server: apiSections.server.partial().strict().optional(),
}).strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

function withDefaults(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const filled: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...definedOnly(raw) };
  for (const name of SECTION_NAMES) {
    const given = raw[name];
    filled[name] = isRecord(given) ? { ...DEFAULT_SETTINGS[name], ...definedOnly(given) } : given ?? DEFAULT_SETTINGS[name];
  }
  return filled;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function definedOnly(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
