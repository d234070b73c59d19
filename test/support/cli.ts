import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/build-cli.js';

/**
 * What the tests spawn to run the CLI: bin/wasmforge.js, which loads the built bundle (out/cli),
 * as `npx wasmforge` does. The test run's globalSetup (build-cli-setup.ts) has built it.
 */
export const CLI_BIN = join(REPO_ROOT, 'bin', 'wasmforge.js');
