import { createRunAi } from '../ai/factory.ts';
import { resolveDataHome } from '../library/home.ts';
import { loadSettings, type Settings } from '../library/settings.ts';
import { SandboxRuntime } from '../sandbox/index.ts';

export interface CliContext {
  home: string;
  settings: Settings;
  runtime: SandboxRuntime;
}

/** What every CLI command starts from: the data folder, its settings, and a sandbox runtime. */
export async function createCliContext(options: { warmPoolSize?: number } = {}): Promise<CliContext> {
  const home = resolveDataHome();
  const settings = await loadSettings(home);
  const { broker } = await createRunAi(settings);
  const runtime = new SandboxRuntime({
    broker,
    limits: settings.sandbox.limits,
    warmPoolSize: options.warmPoolSize ?? 1,
    defaultEngine: settings.sandbox.engine,
    dataHome: home,
  });
  return { home, settings, runtime };
}
