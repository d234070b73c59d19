// basedpyright's language server (its browser build: a webpack bundle with typeshed's stubs
// inside, under /typeshed) in a Web Worker, so type analysis never holds up typing. Nothing is
// fetched: the stubs, the SDK's stub and the plugin's files all live in its in-memory file system.
import 'browser-basedpyright/dist/pyright.worker.js';
import type { StubFileReply, StubFileRequest } from './pyright-files.ts';

/** What the bundle leaves on the worker's global: the server, whose start-up files include typeshed. */
interface PyrightWorkerGlobal {
  app?: { _initialFiles?: Record<string, string> };
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const scope = self as unknown as PyrightWorkerGlobal;

/**
 * Go to definition may land in a stub the editor has never seen (json/__init__.pyi): the editor asks
 * for its text on a port of its own, so these questions never mix with the LSP messages on the
 * worker's main channel. The port arrives before the server boots.
 */
scope.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { type?: string; port?: MessagePort } | null;
  if (data?.type !== 'wasmforge/stub-files' || !data.port) return;
  const port = data.port;
  port.onmessage = (ask: MessageEvent<StubFileRequest>) => {
    const text = scope.app?._initialFiles?.[ask.data.path];
    port.postMessage({ id: ask.data.id, text } satisfies StubFileReply);
  };
});
