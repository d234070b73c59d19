import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRecording } from '../../ai/recording.ts';
import { writeFileAtomic } from '../../library/atomic-write.ts';
import { caseFromRunRefusal, readCaseFiles, runCases, splitCaseFiles, summarizeCases, updateCases, type CaseFiles, type PluginTestOptions } from '../../sandbox/plugin-tests.ts';
import { caseFileName, caseFromRun, formatCase } from '../../sandbox/test-case.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { Settings } from '../../library/settings.ts';
import { pluginManifestSchema, pluginNameSchema, type PluginManifest } from '../../shared/api/schemas/plugins.ts';
import type { TestSuite } from '../../shared/api/schemas/tests.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import { effectiveLimits } from '../../shared/limits.ts';
import type { AppContext } from '../context.ts';
import { limitsRequester, modelsHeldTo } from '../run-policy.ts';

type TestRoutes = 'tests.list' | 'tests.run' | 'tests.saveFromRun' | 'tests.update';

/** A suite resolved: its case files, and how to run the plugin under the app's policy. */
interface ResolvedSuite {
  files: CaseFiles;
  options: Omit<PluginTestOptions, 'onCase' | 'signal'>;
  /** Where its cases live (a workspace plugin's tests folder); none for a suite sent whole. */
  folder?: string;
}

/**
 * The Builder's Tests panel and `wasmforge test`: a workspace plugin's cases by name (read and
 * written here), or a plugin folder's contents sent whole by the CLI (written back by the CLI).
 */
export function testHandlers(app: AppContext): Pick<ApiHandlers, TestRoutes> {
  return {
    'tests.list': async ({ plugin }) => {
      await app.plugins.get({ source: 'workspace', name: plugin });
      return summarizeCases(await readCaseFiles(pluginFolder(app, plugin)));
    },
    'tests.run': async ({ suite, files }, { signal, emit }) => {
      const resolved = await resolveSuite(app, suite);
      return runCases(resolved.files, { ...resolved.options, signal, onCase: (result) => emit({ type: 'case', result }) }, files);
    },
    'tests.update': async ({ suite }, { signal }) => {
      const resolved = await resolveSuite(app, suite);
      const report = await updateCases(resolved.files, { ...resolved.options, signal });
      if (resolved.folder) for (const { file, text } of report.updated) await writeFileAtomic(join(resolved.folder, file), text);
      return report;
    },
    'tests.saveFromRun': async (request) => {
      // A run that ended because Ollama or the sandbox failed would make a case that can never pass (`run --save-test` comes here too).
      const refusal = caseFromRunRefusal(request.name, request.errorCode);
      if (refusal) throw refusal;
      // A recording that does not parse is refused here, before any file is written.
      const recording = request.recording === undefined ? undefined : parseRecording(request.recording, 'the run\'s recording');
      const file = caseFileName(request.name);
      const text = formatCase(caseFromRun({ ...request, name: request.name.trim(), recording }));
      if (request.plugin !== undefined) {
        await app.plugins.get({ source: 'workspace', name: request.plugin });
        const folder = join(pluginFolder(app, request.plugin), 'tests');
        if (!request.overwrite && (await exists(join(folder, file)))) {
          throw new WasmForgeError('ALREADY_EXISTS', `The plugin already has a test case ${file}`, { hint: 'Choose another name, or replace it' });
        }
        await mkdir(folder, { recursive: true });
        await writeFileAtomic(join(folder, file), text);
      }
      return { file, text };
    },
  };
}

async function resolveSuite(app: AppContext, suite: TestSuite): Promise<ResolvedSuite> {
  const settings = await app.settings();
  const common = { allowList: settings.ollama.allowList, run: app.runtime.run.bind(app.runtime) };
  if ('plugin' in suite) {
    const plugin = await app.plugins.runnable({ source: 'workspace', name: suite.plugin });
    const folder = pluginFolder(app, suite.plugin);
    return { files: await readCaseFiles(folder), folder: join(folder, 'tests'), options: { ...common, source: runSource(app, settings, { code: plugin.code, files: plugin.files, filename: 'plugin.py' }, plugin.manifest) } };
  }
  const manifest = pluginManifestSchema.partial().parse(suite.manifest ?? {});
  return {
    files: splitCaseFiles([...suite.cases, ...suite.recordings]),
    options: { ...common, source: runSource(app, settings, { code: suite.code, files: suite.files, filename: suite.filename }, manifest) },
  };
}

/** The plugin held to what `runs.run` holds a workspace plugin to: its models, the engine, and the limits resolved the same way. */
function runSource(app: AppContext, settings: Settings, plugin: Pick<ResolvedSuite['options']['source'], 'code' | 'files' | 'filename'>, manifest: Partial<PluginManifest>): ResolvedSuite['options']['source'] {
  return {
    ...plugin, engine: settings.sandbox.engine, manifestModels: modelsHeldTo('workspace', manifest), manifestLimits: manifest.limits,
    limits: effectiveLimits(settings.sandbox.limits, manifest.limits, { limits: undefined, by: limitsRequester(app.host) }),
  };
}

function pluginFolder(app: AppContext, name: string): string {
  return join(app.home, 'workspace', pluginNameSchema.parse(name));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
