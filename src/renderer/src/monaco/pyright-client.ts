import {
  AbstractMessageReader, BrowserMessageWriter, createProtocolConnection, Disposable,
  type DataCallback, type InitializeParams, type ProtocolConnection,
} from 'vscode-languageserver-protocol/browser';
import PyrightWorker from './pyright.worker.ts?worker';
import { initialFiles, PLUGIN_ROOT_URI, type StubFileReply, type StubFileRequest } from './pyright-files.ts';

/** The language server as the editor sees it: an LSP connection, and the text of any stub it names. */
export interface LanguageServer {
  connection: ProtocolConnection;
  readStub(path: string): Promise<string | undefined>;
  /** The server's workers (its foreground one and the background ones it asked for), for memory measures and shutdown. */
  workers: Worker[];
}

/**
 * The worker also posts its own control messages (asking for background workers) on the channel the
 * LSP uses: only JSON-RPC messages go to the connection.
 */
class JsonRpcReader extends AbstractMessageReader {
  constructor(private readonly worker: Worker) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const listener = (event: MessageEvent): void => {
      if ((event.data as { jsonrpc?: unknown } | null)?.jsonrpc === '2.0') callback(event.data);
    };
    this.worker.addEventListener('message', listener);
    return Disposable.create(() => this.worker.removeEventListener('message', listener));
  }
}

/** Starts basedpyright in workers and initializes it with the SDK's stub; resolves once it answers. */
export async function startLanguageServer(sdkStub: string): Promise<LanguageServer> {
  const foreground = new PyrightWorker({ name: 'pyright' });
  const workers = [foreground];
  const readStub = stubReader(foreground);
  foreground.postMessage({ type: 'browser/boot', mode: 'foreground' });
  // Pyright analyses in a background worker it cannot start itself (a worker's own workers are not everywhere).
  foreground.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: string; initialData?: unknown; port?: MessagePort } | null;
    if (data?.type !== 'browser/newWorker' || !data.port) return;
    const background = new PyrightWorker({ name: `pyright-background-${workers.length}` });
    workers.push(background);
    background.postMessage({ type: 'browser/boot', mode: 'background', initialData: data.initialData, port: data.port }, [data.port]);
  });
  const connection = createProtocolConnection(new JsonRpcReader(foreground), new BrowserMessageWriter(foreground));
  connection.onDispose(() => workers.forEach((worker) => worker.terminate()));
  connection.listen();
  // A worker that cannot load (a missing asset) fails the start: the editor's features then answer nothing rather than wait.
  const failed = new Promise<never>((_, reject) => foreground.addEventListener('error', () => reject(new Error('The language server could not start'))));
  await Promise.race([connection.sendRequest('initialize', initializeParams(sdkStub)), failed]);
  await connection.sendNotification('initialized', {});
  return { connection, readStub, workers };
}

function initializeParams(sdkStub: string): InitializeParams {
  return {
    processId: null,
    rootUri: PLUGIN_ROOT_URI,
    workspaceFolders: [{ uri: PLUGIN_ROOT_URI, name: 'plugin' }],
    capabilities: {
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: false },
        completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'], snippetSupport: false } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        signatureHelp: { signatureInformation: { documentationFormat: ['markdown', 'plaintext'], parameterInformation: { labelOffsetSupport: true }, activeParameterSupport: true } },
        definition: { linkSupport: false },
        publishDiagnostics: { tagSupport: { valueSet: [1, 2] }, versionSupport: true },
      },
    },
    initializationOptions: { files: initialFiles(sdkStub) },
  };
}

/** Asks the worker, on a port of its own, for a stub's text by its path (/typeshed/stdlib/json/__init__.pyi). */
function stubReader(worker: Worker): (path: string) => Promise<string | undefined> {
  const channel = new MessageChannel();
  const pending = new Map<number, (text: string | undefined) => void>();
  let nextId = 1;
  channel.port1.onmessage = (event: MessageEvent<StubFileReply>) => {
    pending.get(event.data.id)?.(event.data.text);
    pending.delete(event.data.id);
  };
  // Sent before the boot message: the worker's LSP reader, started at boot, never sees it.
  worker.postMessage({ type: 'wasmforge/stub-files', port: channel.port2 }, [channel.port2]);
  return (path) => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    channel.port1.postMessage({ id, path } satisfies StubFileRequest);
  });
}
