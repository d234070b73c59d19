import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Marketplace } from '../../src/marketplace/service.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { makePlugin, tempHome } from './helpers.ts';

// Publish's syntax check through the real sandbox (python.wasm), not a stand-in.
let runtime: SandboxRuntime;
let home: { path: string; remove: () => Promise<void> };
let market: Marketplace;

beforeAll(async () => {
  runtime = new SandboxRuntime({ warmPoolSize: 0 });
  home = await tempHome('sandbox-publish');
  market = await Marketplace.open({ home: home.path, databaseUrl: null, checkSyntax: (code, file) => runtime.checkSyntax(code, file) });
});
afterAll(async () => {
  await market?.close();
  await runtime?.close();
  await home?.remove();
});

describe('publish checks syntax in the sandbox', () => {
  it('refuses code that does not compile, naming the line, and queues nothing', async () => {
    const dir = await makePlugin(home.path, 'broken-syntax');
    await writeFile(join(dir, 'plugin.py'), 'from platform_sdk import send_output\n\ndef f(:\n    pass\n');
    await expect(market.publish(dir)).rejects.toMatchObject({ code: 'SYNTAX_ERROR', message: expect.stringContaining('line 3') });
    expect(await market.outboxItems()).toEqual([]);
  });

  it('publishes code that compiles', async () => {
    const dir = await makePlugin(home.path, 'fine-syntax', '1.0.0', 'from platform_sdk import get_input, send_output\nsend_output(get_input().upper())\n');
    expect(await market.publish(dir)).toMatchObject({ status: 'published', name: 'fine-syntax' });
  });
});
