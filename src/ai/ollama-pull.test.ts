import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../../test/fake-ollama/server.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { OllamaCatalog } from './ollama-catalog.ts';

let fake: FakeOllama;
let catalog: OllamaCatalog;

beforeAll(async () => {
  fake = await FakeOllama.start({ pullable: [{ name: 'phi3:mini', size: 2_000 }] });
  catalog = new OllamaCatalog({ host: fake.url, headers: {}, source: 'settings' });
});
afterAll(() => fake.close());

async function pullError(name: string): Promise<WasmForgeError> {
  const error = await catalog.pull(name).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WasmForgeError);
  return error as WasmForgeError;
}

describe('a pull that fails', () => {
  it.each(['dns', 'no-route'] as const)('says Ollama cannot reach its library when its machine is offline (%s), never that the model is unknown', async (failure) => {
    fake.faults = { registryOffline: failure };
    const error = await pullError('phi3:mini');
    expect(error.code).toBe('AI_UNAVAILABLE');
    expect(error.message).toMatch(/^Ollama cannot reach its model library \(registry\.ollama\.ai\) to download "phi3:mini"/);
    expect(error.message).not.toMatch(/has no model/);
    expect(error.hint).toMatch(/internet/);
  });

  it('says the library has no such model when Ollama could ask and the answer was no', async () => {
    fake.faults = {};
    const error = await pullError('no-such-model:7b');
    expect([error.code, error.message]).toEqual(['NOT_FOUND', 'Ollama\'s library has no model "no-such-model:7b"']);
  });
});
