import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createAppApi, type AppApi } from '../../app/index.ts';
import { isAnyAddress, isLoopback } from '../../server/guard.ts';
import { startApiServer, type ApiServer } from '../../server/server.ts';
import { resolveDataHome } from '../../library/home.ts';
import { loadSettings } from '../../library/settings.ts';
import { errorFields, openLog } from '../../log/log.ts';
import { SERVER_TOKEN_RULE, serverTokenSchema } from '../../shared/api/schemas/settings.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import { runAction, UsageError } from '../output.ts';

interface ServeOptions {
  port: number;
  host: string;
  ai: 'ollama' | 'test';
}

export const DEFAULT_PORT = 4317;

export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the app (UI and API) over HTTP for a browser, on this machine or for a team')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, DEFAULT_PORT)
    .option('--host <address>', 'address to bind (anything but loopback exposes it to the network, behind the token)', '127.0.0.1')
    .addOption(new Option('--ai <provider>', 'who answers call_ai: Ollama, or the offline test provider').choices(['ollama', 'test']).default('ollama'))
    .action((options: ServeOptions) => runAction(() => serve(options)));
}

type Log = (message: string) => void;

/** Serves until SIGINT or SIGTERM; a token that is not valid is a usage error (exit 2), a port it cannot take a failure (exit 1). */
async function serve(options: ServeOptions): Promise<void> {
  const token = await serverToken(resolveDataHome()).catch((error: unknown) => {
    throw new UsageError('the server token is not valid', { cause: error });
  });
  // Warnings go to the terminal and to <data folder>/logs/serve.N.log, which outlives the terminal.
  const fileLog = await openLog({ home: resolveDataHome(), process: 'serve' });
  const log: Log = (message) => {
    process.stderr.write(`wasmforge serve: ${message}\n`);
    fileLog.warn(message);
  };
  const api = await createAppApi({ host: 'server', ai: options.ai, primeConnections: true, log }).catch(async (error: unknown) => {
    fileLog.error('could not start', errorFields(error));
    await fileLog.close();
    throw error;
  });
  try {
    const server = await listen(api, options, token, log);
    if (isAnyAddress(options.host)) {
      log(`listening on all network interfaces (${options.host}), port ${server.port}: open it from other machines at this machine's address; anyone who can reach it and has the token can run plugins`);
    } else if (!isLoopback(options.host)) {
      log(`listening on ${options.host}: anyone who can reach it and has the token can run plugins`);
    }
    fileLog.info('serving', { url: server.url, host: options.host, ai: options.ai });
    process.stdout.write(`WasmForge is serving ${server.url} (data folder ${api.context.home}, AI: ${options.ai})\n`);
    process.stdout.write(`Open ${server.signInUrl}\n`);
    await untilSignal();
    await server.close();
  } finally {
    await api.close();
    await fileLog.close();
  }
}

async function listen(api: AppApi, options: ServeOptions, token: string | undefined, log: Log): Promise<ApiServer> {
  const rendererDir = findRendererDir();
  if (!rendererDir) log('the UI is not built (run `npm run build`); serving the API only');
  try {
    return await startApiServer({ dispatcher: api.dispatcher, host: options.host, port: options.port, token, rendererDir, log });
  } catch (error) {
    const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new WasmForgeError('BAD_INPUT', `Cannot listen on ${options.host}:${options.port}: ${busy ? 'the port is in use' : (error as Error).message}`, {
      ...(busy ? { hint: 'Try --port 0 for any free port.' } : {}),
    });
  }
}

/**
 * The token every API call must carry: WASMFORGE_TOKEN, else the one in the settings, else a fresh
 * random one (undefined here). Both follow the settings' rule, so the sign-in URL always works.
 */
export async function serverToken(home: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const fromEnv = env.WASMFORGE_TOKEN;
  if (fromEnv) {
    if (!serverTokenSchema.safeParse(fromEnv).success) throw new WasmForgeError('BAD_INPUT', `WASMFORGE_TOKEN is not valid: ${SERVER_TOKEN_RULE}`);
    return fromEnv;
  }
  return (await loadSettings(home)).server.token;
}

/** out/renderer from the repository (the CLI runs from its sources); WASMFORGE_RENDERER overrides. */
export function findRendererDir(): string | undefined {
  if (process.env.WASMFORGE_RENDERER) return process.env.WASMFORGE_RENDERER;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'out', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}
