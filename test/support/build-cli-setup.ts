import { buildCliIfStale } from '../../scripts/build-cli.js';

/**
 * Vitest globalSetup: the tests run the built CLI (bin/wasmforge.js loads out/cli) and the built
 * sandbox worker (out/main/sandbox-worker.js). Built here once when a source changed, rather than
 * by every CLI a test spawns. A build error is reported, not thrown: tests that need no CLI still run.
 */
export default async function setup(): Promise<void> {
  try {
    await buildCliIfStale((message) => console.log(message));
  } catch (error) {
    console.error(`The CLI could not be built; the tests that run it will fail: ${error instanceof Error ? error.message : String(error)}`);
  }
}
