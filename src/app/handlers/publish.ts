import { join } from 'node:path';
import { loadOrCreateAuthorKey } from '../../marketplace/index.ts';
import { openPlugin, type WorkspacePlugin } from '../../library/workspace.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { PublishEvent, PublishResult, PublishStep } from '../../shared/api/schemas/marketplace.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';
import { checkVersion } from '../publish-checks.ts';

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
    'market.publish': async ({ name }, { emit }) => {
      const step = stepper(emit);
      const dir = join(app.home, 'workspace', name);
      const plugin = await step('manifest', async () => {
        const opened = await openPlugin(dir);
        return { value: opened, detail: `${opened.manifest.name} ${opened.manifest.version}` };
      });
      await step('syntax', () => checkSyntax(app, plugin));
      const installedHere = app.library.exists() && (await app.library.use((library) => library.listInstalled())).some((p) => p.name === name);
      return app.market.use(async (market) => {
        await step('version', async () => ({ value: undefined, ...(await checkVersion(market, name, plugin.manifest.version, installedHere)) }));
        await step('signature', async () => ({ value: undefined, detail: `Signed with ${(await loadOrCreateAuthorKey(app.home)).fingerprint}` }));
        const outcome = await step('deliver', async (): Promise<StepOutcome<PublishResult>> => {
          const result = await market.publish(dir);
          return result.status === 'published'
            ? { value: result, detail: `Published to ${market.mode === 'shared' ? market.id : 'the local marketplace'}` }
            : { value: result, skipped: true, detail: `Queued: ${result.reason}` };
        });
        if (outcome.status === 'queued') app.outbox.wake();
        return outcome;
      });
    },
  };
}

async function checkSyntax(app: AppContext, plugin: WorkspacePlugin): Promise<StepOutcome<void>> {
  if (plugin.code.trim() === '') throw new WasmForgeError('BAD_INPUT', 'plugin.py is empty', { hint: 'Write the plugin before publishing it.' });
  const problem = await app.runtime.checkSyntax(plugin.code, 'plugin.py');
  if (problem) {
    throw new WasmForgeError('SYNTAX_ERROR', `plugin.py does not compile${problem.line ? ` (line ${problem.line})` : ''}: ${problem.message}`, {
      hint: 'Fix the syntax error, then publish again.',
    });
  }
  return { value: undefined, detail: 'plugin.py compiles' };
}
