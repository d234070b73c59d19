import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreateAuthorKey } from '../../marketplace/index.ts';
import { stagingFolder } from '../../library/leftovers.ts';
import { parseManifest } from '../../library/manifest.ts';
import { openPlugin, saveCode, saveManifest, type WorkspacePlugin } from '../../library/workspace.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { PublishEvent, PublishResult, PublishStep } from '../../shared/api/schemas/marketplace.ts';
import type { ApiHandlers, ParsedInput } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';
import { checkVersion, requireDescription } from '../publish-checks.ts';
import { withDetectedModels } from '../model-detection.ts';

type PluginToPublish = Pick<WorkspacePlugin, 'code' | 'files' | 'manifest'> & { dir?: string };

interface StepOutcome<T> {
  value: T;
  detail?: string;
  skipped?: boolean;
}

/** Runs one check of the publish dialog, telling the UI when it starts and how it ended. */
function stepper(emit: (event: PublishEvent) => void) {
  return async <T>(step: PublishStep, work: () => Promise<StepOutcome<T>>): Promise<T> => {
    emit({ type: 'step', step, state: 'running' });
    try {
      const outcome = await work();
      emit({ type: 'step', step, state: outcome.skipped ? 'skipped' : 'ok', ...(outcome.detail ? { detail: outcome.detail } : {}) });
      return outcome.value;
    } catch (error) {
      emit({ type: 'step', step, state: 'failed', detail: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  };
}

/** Publish in one click: manifest, syntax, version, signature, then delivery (or the outbox when the database is away). */
export function publishHandlers(app: AppContext): Pick<ApiHandlers, 'market.publish'> {
  return {
    'market.publish': async (input, { emit }) => {
      const step = stepper(emit);
      const opened = await step('manifest', async () => {
        const found = await pluginToPublish(app, input);
        requireDescription(found.manifest);
        return { value: found, detail: `${found.manifest.name} ${found.manifest.version}` };
      });
      const plugin = await step('syntax', async () => {
        await checkSyntax(app, opened);
        const withModels = await withModelsCalled(app, opened);
        const { models } = withModels.manifest;
        return { value: withModels, detail: `plugin.py compiles; it calls ${models.length ? models.join(', ') : 'no model'}` };
      });
      const { name } = plugin.manifest;
      const installedHere = app.library.exists() && (await app.library.use((library) => library.listInstalled())).some((p) => p.name === name);
      return app.market.use(async (market) => {
        await step('version', async () => ({ value: undefined, ...(await checkVersion(market, name, plugin.manifest.version, installedHere)) }));
        await step('signature', async () => ({ value: undefined, detail: `Signed with ${(await loadOrCreateAuthorKey(app.home)).fingerprint}` }));
        const outcome = await step('deliver', async (): Promise<StepOutcome<PublishResult>> => {
          const result = { ...(await inFolder(app, plugin, (dir) => market.publish(dir))), marketplace: market.id };
          return result.status === 'published'
            ? { value: result, detail: `Published to ${market.mode === 'shared' ? market.id : 'the local marketplace'}` }
            : { value: result, skipped: true, detail: `Queued: ${result.reason}` };
        });
        if (outcome.status === 'queued') app.outbox.wake();
        else await market.shareDisplayName((await app.settings()).author.displayName);
        return outcome;
      });
    },
  };
}

/** A workspace plugin (its folder), or one sent whole, checked as the library checks plugin.json. */
async function pluginToPublish(app: AppContext, input: ParsedInput<'market.publish'>): Promise<PluginToPublish> {
  if ('name' in input) return openPlugin(join(app.home, 'workspace', input.name));
  return { code: input.code, files: input.files ?? {}, manifest: parseManifest(input.manifest) };
}

/**
 * What is published (and what an installer consents to) lists exactly the models the code calls:
 * detected after the syntax check, and written back to a workspace folder's plugin.json.
 */
async function withModelsCalled(app: AppContext, plugin: PluginToPublish): Promise<PluginToPublish> {
  const manifest = await withDetectedModels(app.runtime, plugin.code, plugin.manifest, plugin.files);
  if (plugin.dir && manifest.models.join('\n') !== plugin.manifest.models.join('\n')) await saveManifest(plugin.dir, manifest);
  return { ...plugin, manifest };
}

/** The marketplace signs a folder: a plugin sent whole is written to a private one for the moment. */
async function inFolder<T>(app: AppContext, plugin: PluginToPublish, work: (dir: string) => Promise<T>): Promise<T> {
  if (plugin.dir) return work(plugin.dir);
  // Named with our pid: if this process is killed, the next start knows the folder is a leftover.
  const dir = await stagingFolder(app.home, 'publish');
  try {
    await saveCode(dir, plugin.code, plugin.files);
    await saveManifest(dir, plugin.manifest);
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function checkSyntax(app: AppContext, plugin: PluginToPublish): Promise<void> {
  if (plugin.code.trim() === '') throw new WasmForgeError('BAD_INPUT', 'plugin.py is empty', { hint: 'Write the plugin before publishing it.' });
  const problem = await app.runtime.checkSyntax(plugin.code, 'plugin.py');
  if (problem) {
    throw new WasmForgeError('SYNTAX_ERROR', `plugin.py does not compile${problem.line ? ` (line ${problem.line})` : ''}: ${problem.message}`, {
      hint: 'Fix the syntax error, then publish again.',
    });
  }
}
