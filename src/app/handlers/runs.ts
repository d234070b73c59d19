import type { z } from 'zod';
import { pluginManifestSchema, type PluginManifest } from '../../shared/api/schemas/plugins.ts';
import type { RunRecord, runRequestSchema } from '../../shared/api/schemas/runs.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import { effectiveLimits } from '../../shared/limits.ts';
import type { AppContext } from '../context.ts';
import { newRunId } from '../history.ts';
import { runAiFor } from '../run-ai.ts';
import { limitsRequester, modelsHeldTo, type RunSource } from '../run-policy.ts';

type RunRoutes = 'runs.run' | 'runs.checkSyntax' | 'runs.history' | 'runs.get';
type RunRequest = z.output<typeof runRequestSchema>;

interface RunTarget {
  code: string;
  manifest: Partial<PluginManifest>;
  pluginName: string | null;
  source: RunSource;
}

export function runHandlers(app: AppContext, log: (message: string) => void = () => undefined): Pick<ApiHandlers, RunRoutes> {
  return {
    'runs.run': async (request, { signal, emit }) => {
      const id = newRunId();
      const startedAt = new Date().toISOString();
      const target = await resolveTarget(app, request);
      const ai = await runAiFor(app, request);
      const settings = await app.settings();
      // Resolved once, here, for the settings as they are now: the sandbox and the broker enforce exactly these.
      const limits = effectiveLimits(settings.sandbox.limits, target.manifest.limits, { limits: request.limits, by: limitsRequester(app.host) });
      emit({ type: 'accepted', runId: id });
      const result = await app.runtime.run({
        code: target.code,
        input: request.input,
        filename: request.filename,
        engine: request.engine ?? settings.sandbox.engine,
        limits,
        manifestModels: modelsHeldTo(target.source, target.manifest),
        broker: ai.broker,
        signal,
        onEvent: emit,
      });
      const record: RunRecord = { id, startedAt, pluginName: target.pluginName, source: target.source, input: request.input, result };
      // The run happened whatever the history does: a failed save is reported in the log, not as a
      // failed run, and the caller does not wait for it (the first save creates the local database).
      if (request.remember) void app.history.add(record).then(() => app.events.publish({ type: 'history.changed' })).catch((error: unknown) => log(`could not keep run ${id} in the history: ${String(error)}`));
      const recording = ai.recording();
      return recording === undefined ? record : { ...record, recording };
    },
    'runs.checkSyntax': async ({ code, filename }) => ({ error: await app.runtime.checkSyntax(code, filename) }),
    'runs.history': (query) => app.history.list(query),
    'runs.get': ({ id }) => app.history.get(id),
  };
}

async function resolveTarget(app: AppContext, request: RunRequest): Promise<RunTarget> {
  if (request.plugin) {
    const plugin = await app.plugins.runnable(request.plugin);
    return { code: plugin.code, manifest: plugin.manifest, pluginName: plugin.name, source: request.plugin.source };
  }
  const manifest = pluginManifestSchema.partial().parse(request.manifest ?? {});
  return { code: request.code ?? '', manifest, pluginName: manifest.name ?? null, source: 'builder' };
}
