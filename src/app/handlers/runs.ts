import type { RunRequest as SandboxRunRequest } from '../../sandbox/index.ts';
import { pluginManifestSchema, type PluginDetail, type PluginManifest } from '../../shared/api/schemas/plugins.ts';
import type { ParsedRunRequest, RunRecord } from '../../shared/api/schemas/runs.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';
import { newRunId } from '../history.ts';
import { runAiFor } from '../run-ai.ts';
import { limitsRequester, modelsHeldTo } from '../run-policy.ts';

type RunRoutes = 'runs.run' | 'runs.checkSyntax' | 'runs.history' | 'runs.get';

/** What a run request names, resolved: the code and manifest to run, and how the run's record names it. */
type RunTarget = Pick<PluginDetail, 'code' | 'files'> & Pick<RunRecord, 'pluginName' | 'source'> & { manifest: Partial<PluginManifest> };

export function runHandlers(app: AppContext, log: (message: string) => void = () => undefined): Pick<ApiHandlers, RunRoutes> {
  return {
    'runs.run': async (request, { signal, emit }) => {
      const id = newRunId();
      const startedAt = new Date().toISOString();
      const target = await resolveTarget(app, request);
      const ai = await runAiFor(app, request);
      const engine = request.engine ?? (await app.settings()).sandbox.engine;
      emit({ type: 'accepted', runId: id });
      const result = await app.runtime.run({ ...sandboxRequest(app, request, target), engine, broker: ai.broker, signal, onEvent: emit });
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

async function resolveTarget(app: AppContext, request: ParsedRunRequest): Promise<RunTarget> {
  if (request.plugin) {
    const plugin = await app.plugins.runnable(request.plugin);
    return { code: plugin.code, files: plugin.files, manifest: plugin.manifest, pluginName: plugin.name, source: request.plugin.source };
  }
  const manifest = pluginManifestSchema.partial().parse(request.manifest ?? {});
  return { code: request.code ?? '', files: request.files ?? {}, manifest, pluginName: manifest.name ?? null, source: 'builder' };
}

/**
 * The contract's request as the sandbox takes it: its own fields passed as they are, the target's
 * code and what its manifest holds the run to. The limits are resolved once, in the sandbox, with
 * the settings as they are then, for whoever asks here (the local CLI may raise them, a window or
 * a token holder only lower them), so the sandbox and the AI broker enforce exactly those.
 */
function sandboxRequest(app: AppContext, request: ParsedRunRequest, target: RunTarget): SandboxRunRequest {
  const { input, filename, limits } = request;
  return {
    code: target.code, files: target.files, input, filename, limits, limitsBy: limitsRequester(app.host),
    manifestLimits: target.manifest.limits, manifestModels: modelsHeldTo(target.source, target.manifest),
  };
}
