import { afterAll, beforeAll, expect, it } from 'vitest';
import { runOver, startServe, type ServeProcess } from '../support/serve.ts';
import { tallyIsolation } from './poisoners.ts';

/**
 * The attack as a stranger makes it: two users of one `wasmforge serve` with one warm worker;
 * one sends plugins that leave answers and half frames behind, the other runs with private input.
 */
let serve: ServeProcess;
beforeAll(async () => {
  serve = await startServe({ sandbox: { warmPoolSize: 1 } });
});
afterAll(() => serve?.stop());

it('no run over a shared server sees another run\'s output (one warm worker)', async () => {
  const run = (code: string, input: string) => runOver(serve.client, code, input);
  const tally = await tallyIsolation(run, run, 2);
  console.log(`serve isolation: ${tally.attempts} poisoner runs, ${tally.contained} private runs contained, ${tally.breached} breached`);
  expect(tally.breached).toBe(0);
  expect(tally.contained).toBe(tally.attempts * 2);
});
