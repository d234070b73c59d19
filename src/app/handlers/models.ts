import { normalizeModelName } from '../../ai/requests.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { ModelInfo } from '../../shared/api/schemas/system.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';

type ModelRoutes = 'models.list' | 'models.health' | 'models.pull' | 'models.delete' | 'models.approve';

/** The models the UI shows: everything approved or installed, with what the provider can tell about each. */
export function modelHandlers(app: AppContext): Pick<ApiHandlers, ModelRoutes> {
  return {
    'models.list': async (_input, { signal }) => {
      const [settings, ai] = [await app.settings(), await app.ai()];
      const installed = await ai.installed(signal).catch(() => []);
      const loaded = new Set((await ai.loaded(signal).catch(() => [] as string[])).map(normalizeModelName));
      // "llama3.2" on the allow-list is Ollama's "llama3.2:latest": one row, as the broker sees it.
      const approved = new Set(settings.ollama.allowList.map(normalizeModelName));
      const byName = new Map(installed.map((model) => [normalizeModelName(model.name), model]));
      const names = [...new Set([...approved, ...byName.keys()])].sort();
      return names.map((name): ModelInfo => {
        const { sizeBytes, family, parameterSize, quantization } = byName.get(name) ?? {};
        return {
          name,
          approved: approved.has(name),
          installed: byName.has(name),
          ...(sizeBytes ? { sizeBytes } : {}),
          ...(family ? { family } : {}),
          ...(parameterSize ? { parameterSize } : {}),
          ...(quantization ? { quantization } : {}),
          loaded: loaded.has(name),
        };
      });
    },
    'models.health': async () => (await app.ai()).health(),
    'models.pull': async ({ name }, { signal, emit }) => {
      const ai = await app.ai();
      try {
        await ai.pull(name, emit, signal);
        // The broker's list of installed models outlives a run now: the next run must see the new one.
        (await app.broker()).invalidateModels();
        return { name, status: 'success' };
      } catch (error) {
        // A cancelled pull is an answer, not a failure: Ollama keeps what it has for next time.
        if (signal.aborted) return { name, status: 'cancelled' };
        throw error;
      }
    },
    'models.delete': async ({ name }, { signal }) => {
      await (await app.ai()).delete(name, signal);
      (await app.broker()).invalidateModels();
      return {};
    },
    'models.approve': async ({ name, approved }) => {
      const { allowList } = (await app.settings()).ollama;
      if (approved && allowList.length >= 200) throw new WasmForgeError('BAD_INPUT', 'The allow-list holds at most 200 models');
      const next = approved ? [...new Set([...allowList, name])] : allowList.filter((model) => normalizeModelName(model) !== normalizeModelName(name));
      return (await app.updateSettings({ ollama: { allowList: next } })).ollama.allowList;
    },
  };
}
