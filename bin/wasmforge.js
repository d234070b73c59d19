#!/usr/bin/env node
// The CLI runs as built JavaScript (out/cli/, made by scripts/build-cli.js at `npm ci`): no
// TypeScript loader and no bundler at run time. In a checkout whose sources changed since that
// build, it is rebuilt first (about a second, once), so what runs is always what the sources say.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCliIfStale, CLI_ENTRY, REPO_ROOT } from '../scripts/build-cli.js';

if (existsSync(join(REPO_ROOT, 'src', 'cli', 'index.ts'))) {
  try {
    // Said on a terminal only: scripts and tests read this process's stderr.
    await buildCliIfStale((message) => void (process.stderr.isTTY && process.stderr.write(`${message}\n`)));
  } catch (error) {
    const noBundler = error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND';
    process.stderr.write(noBundler
      ? 'wasmforge: the CLI must be built from its sources and esbuild is not installed: run `npm ci`.\n'
      : 'wasmforge: the CLI could not be built from its sources (the errors are above).\n');
    process.exit(1);
  }
}
// Node 22.1 and later keep V8's compiled code of the bundle between runs (a start-up saving);
// Node 20 has no such cache and starts as before.
module.enableCompileCache?.();
await import(pathToFileURL(CLI_ENTRY).href);
