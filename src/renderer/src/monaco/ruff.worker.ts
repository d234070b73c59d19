// Ruff (its WebAssembly build) in a worker of its own, so checking and formatting never hold up
// typing. The .wasm is bundled as an asset by Vite and fetched from the app itself (never a CDN);
// compiling it needs 'wasm-unsafe-eval' in the CSP (src/shared/content-security-policy.ts).
import init, { type Workspace } from '@astral-sh/ruff-wasm-web';
import wasmUrl from '@astral-sh/ruff-wasm-web/ruff_wasm_bg.wasm?url';
import { answerRuff, createRuffWorkspace, type RuffRequest } from './ruff-service.ts';

let workspace: Promise<Workspace> | undefined;

function ruffWorkspace(): Promise<Workspace> {
  workspace ??= init({ module_or_path: wasmUrl }).then(createRuffWorkspace);
  return workspace;
}

self.onmessage = (event: MessageEvent<RuffRequest>) => {
  const request = event.data;
  ruffWorkspace()
    .then((ruff) => self.postMessage(answerRuff(ruff, request)))
    .catch((error: unknown) => self.postMessage({ id: request.id, kind: 'failed', message: `Ruff could not start: ${String(error)}` }));
};
