import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { buildSandboxWorker } from './scripts/build-cli.js';
import { CONTENT_SECURITY_POLICY_META } from './src/shared/content-security-policy.ts';

/**
 * index.html's CSP <meta> comes from the one policy the shell and the server send as a header. Built
 * pages only: the dev server's page carries plugin-react's inline preamble, which the shell's dev
 * policy header allows by hash; a meta tag would apply the build policy on top and block it.
 */
export function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'wasmforge-csp-meta',
    apply: 'build',
    // First in <head>: the policy must be in force before any script or style is seen.
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META }, injectTo: 'head-prepend' }],
  };
}

/**
 * out/main/sandbox-worker.js, the file worker_threads loads, as one self-contained ES module: as a
 * second entry of the main build it imported shared ./chunks/*.js, which the packaged app would have
 * to resolve from inside app.asar. One file is unpacked beside the archive (asarUnpack) and loads
 * like any file. Built by the same function as the CLI's build (scripts/build-cli.js), which the
 * CLI, `serve` and the tests load too.
 */
export function sandboxWorkerBundle(): Plugin {
  let outDir = 'out/main';
  return {
    name: 'wasmforge-sandbox-worker',
    apply: 'build',
    configResolved: (config) => void (outDir = config.build.outDir),
    closeBundle: async () => void (await buildSandboxWorker(resolve(outDir, 'sandbox-worker.js'))),
  };
}

// The preload is CommonJS: Electron runs sandboxed preloads as scripts, never as ES modules.
export default defineConfig({
  main: {
    build: {
      // backend.js: the entry of the backend utility process (src/backend), forked by main from beside
      // its own file; it shares main's chunks and, like main, loads its dependencies from node_modules.
      rollupOptions: { input: { index: resolve('src/main/index.ts'), backend: resolve('src/backend/index.ts') } },
    },
    plugins: [sandboxWorkerBundle()],
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
      // Minified: `wasmforge serve` sends it over HTTP. Monaco is one lazy chunk well over the
      // default warning size; what the first screen needs stays small.
      minify: true,
      chunkSizeWarningLimit: 4096,
    },
    worker: { format: 'es' },
    plugins: [react(), contentSecurityPolicyMeta()],
  },
});
