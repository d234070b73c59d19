import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
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

// The sandbox worker is its own entry of the main build: worker_threads loads it by file name.
// The preload is CommonJS: Electron runs sandboxed preloads as scripts, never as ES modules.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'sandbox-worker': resolve('src/sandbox/embedded/worker.ts'),
        },
      },
    },
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
