import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logsFolder } from '../../log/log.ts';
import { findSandboxResources } from '../../sandbox/resources.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import { effectiveLimits } from '../../shared/limits.ts';
import type { AppContext } from '../context.ts';
import { starterTemplates } from '../templates.ts';

const APP_VERSION = '0.1.0';

type SystemRoutes = 'app.info' | 'engines.status' | 'engines.prepare' | 'sdk.stub' | 'templates.list';

export function systemHandlers(app: AppContext): Pick<ApiHandlers, SystemRoutes> {
  let stub: Promise<{ filename: string; text: string }> | undefined;
  return {
    'app.info': async () => {
      const settings = await app.settings();
      return {
        version: APP_VERSION,
        host: app.host,
        dataHome: app.home,
        logsFolder: logsFolder(app.home),
        defaultEngine: settings.sandbox.engine,
        limits: effectiveLimits(settings.sandbox.limits),
        aiProvider: (await app.ai()).label,
        features: { marketplace: true, library: true, history: true },
      };
    },
    'engines.status': () => app.runtime.engineStatus(),
    'engines.prepare': ({ engine }) => app.runtime.prepareEngine(engine),
    'sdk.stub': () => {
      stub ??= readSdkStub().catch((error: unknown) => {
        stub = undefined;
        throw error;
      });
      return stub;
    },
    'templates.list': async () => starterTemplates(),
  };
}

/** The typed stub (platform_sdk.pyi) when it exists, else the SDK itself: both carry the docstrings. */
async function readSdkStub(): Promise<{ filename: string; text: string }> {
  const { sdkDir } = findSandboxResources();
  for (const filename of ['platform_sdk.pyi', 'platform_sdk.py']) {
    const text = await readFile(join(sdkDir, filename), 'utf8').catch(() => undefined);
    if (text !== undefined) return { filename, text };
  }
  throw new WasmForgeError('NOT_FOUND', 'The platform_sdk stub was not found');
}
