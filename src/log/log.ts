import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type SonicBoom from 'sonic-boom';

/**
 * The app's log: leveled JSON lines in `<data folder>/logs/`, one rotated series of files per
 * process (`main.1.log`, `backend.1.log`, `serve.1.log`, …), so two processes never rotate one file
 * under each other. Files are 0600 and the folder 0700, like the rest of the data folder: a log
 * may quote a plugin's error or a path. Writes are synchronous, so the line that says why a
 * process is dying is on disk before it dies.
 */
export const LOGS_FOLDER = 'logs';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** 5 MiB a file, the current one and 4 before it: at most 25 MiB per process. */
const MAX_FILE_SIZE = '5m';
const KEPT_FILES = 4;

export interface AppLog {
  /** The file written now (it changes when the log rotates). */
  readonly file: string;
  readonly folder: string;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  fatal(message: string, fields?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export interface OpenLogOptions {
  /** The data folder. */
  home: string;
  /** Which process writes: the file series' name (main, backend, serve, …). */
  process: string;
  /** Lowest level written; WASMFORGE_LOG_LEVEL or info. */
  level?: LogLevel;
  /** For tests: the size at which a file is rotated (pino-roll's notation: '5m', '10k', …). */
  maxFileSize?: string;
}

export function logsFolder(home: string): string {
  return join(home, LOGS_FOLDER);
}

export async function openLog(options: OpenLogOptions): Promise<AppLog> {
  const folder = logsFolder(options.home);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(folder, 0o700).catch(() => undefined);
  // Loaded here, not with this module: the app's handlers import it for logsFolder, and a one-shot
  // CLI command, which writes no log, would otherwise load pino-roll and date-fns at every start.
  // `default`, not the named `pino`: esbuild's chunk of a CommonJS package exports only its module.exports as default.
  const [{ default: pino }, { default: roll }] = await Promise.all([import('pino'), import('pino-roll')]);
  // pino-roll's stream is a SonicBoom; its typings lack the current file and the destroyed flag.
  const destination = (await roll({
    file: join(folder, options.process), extension: '.log', size: options.maxFileSize ?? MAX_FILE_SIZE,
    limit: { count: KEPT_FILES, removeOtherLogFiles: true }, mode: 0o600, sync: true,
  })) as SonicBoom & { file: string; destroyed: boolean };
  const logger: Logger = pino({ level: options.level ?? levelFromEnv(), base: { process: options.process, pid: process.pid } }, destination);
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => (fields ? logger[level](fields, message) : logger[level](message));
  return {
    get file() {
      return destination.file;
    },
    folder,
    debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), fatal: write('fatal'),
    close: () => new Promise<void>((resolve) => {
      if (destination.destroyed) return resolve();
      destination.once('close', () => resolve());
      destination.end();
    }),
  };
}

function levelFromEnv(): LogLevel {
  const wanted = process.env.WASMFORGE_LOG_LEVEL;
  return LOG_LEVELS.find((level) => level === wanted) ?? 'info';
}

/** The log files in the data folder, newest first (for `wasmforge doctor` and the UI). */
export async function logFiles(home: string): Promise<Array<{ file: string; modified: Date }>> {
  const folder = logsFolder(home);
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.log'));
  const files = await Promise.all(names.map(async (name) => ({ file: join(folder, name), modified: (await stat(join(folder, name))).mtime })));
  // Files rotated within one clock tick share an mtime: the higher number is the newer.
  return files.sort((a, b) => b.modified.getTime() - a.modified.getTime() || rotation(b.file) - rotation(a.file));
}

function rotation(file: string): number {
  return Number(/\.(\d+)\.log$/.exec(file)?.[1] ?? 0);
}

/** An error as one log field: its message and stack, never a plugin's whole output. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message.slice(0, 2000), stack: error.stack?.slice(0, 8000) };
  return { error: String(error).slice(0, 2000) };
}
