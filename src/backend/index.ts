import { createAppApi, type AppApi } from '../app/index.ts';
import { IpcRouter } from '../ipc/router.ts';
import { errorFields, openLog, type AppLog } from '../log/log.ts';
import { PortTransport } from './port-transport.ts';
import { yieldToTheWindows } from './priority.ts';
import { RELAYED_PEER_ORIGIN, toBackendSchema, type ParentPortLike, type PortLike, type ToBackend } from './protocol.ts';

/**
 * The desktop app's backend process (Electron's utilityProcess; a Node child in tests and the
 * bench): the app API (PGlite, pg, the Ollama client, the sandbox pool) and its IPC router, off the
 * process that owns the windows, so opening a database never freezes the UI. Main relays each
 * window's messages over a MessagePort of its own; see ./protocol.ts.
 */
const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  process.stderr.write('wasmforge backend: no parent port; this process is started by the desktop app\n');
  process.exit(2);
}

let log: AppLog | undefined;
let api: AppApi | undefined;
let transport: PortTransport | undefined;
/** Documents that connected before the API was up: their messages wait in their ports until then. */
const waiting: Array<[string, PortLike]> = [];

process.on('uncaughtException', (error) => {
  log?.fatal('the backend crashed: uncaught exception', errorFields(error));
  process.stderr.write(`wasmforge backend: ${error.stack ?? error.message}\n`);
  process.exit(70);
});
// As in the main process before: a failed promise nobody awaited is a bug to see, not a reason to stop every window's work.
process.on('unhandledRejection', (reason) => log?.error('unhandled promise rejection in the backend', errorFields(reason)));

parentPort.on('message', (event) => {
  const parsed = toBackendSchema.safeParse(event.data);
  if (!parsed.success) {
    log?.warn('dropped a malformed message from main');
    return;
  }
  void handle(parsed.data, event.ports);
});

async function handle(message: ToBackend, ports: PortLike[]): Promise<void> {
  if (message.type === 'start') await start(message);
  else if (message.type === 'connect') connect(message.peer, ports[0]);
  else await shutdown();
}

async function start(message: Extract<ToBackend, { type: 'start' }>): Promise<void> {
  if (api || log) return;
  try {
    yieldToTheWindows();
    log = await openLog({ home: message.home, process: 'backend' });
    log.info('backend starting', { generation: message.generation });
    const backendLog = log;
    api = await createAppApi({ home: message.home, host: 'desktop', ai: message.ai, primeConnections: true, log: (line) => backendLog.warn(line) });
    transport = new PortTransport();
    new IpcRouter(api.dispatcher, transport, { allowedSenders: [RELAYED_PEER_ORIGIN], log: (line) => backendLog.warn(`ipc: ${line}`) });
    for (const [peer, port] of waiting.splice(0)) transport.connect(peer, port);
    log.info('backend ready', { generation: message.generation });
    parentPort!.postMessage({ type: 'ready', generation: message.generation, logFile: log.file });
  } catch (error) {
    log?.fatal('the backend could not start', errorFields(error));
    parentPort!.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

function connect(peer: string, port: PortLike | undefined): void {
  if (!port) return;
  if (transport) transport.connect(peer, port);
  else waiting.push([peer, port]);
}

async function shutdown(): Promise<void> {
  try {
    await api?.close();
    log?.info('backend closed');
  } catch (error) {
    log?.error('closing the backend failed', errorFields(error));
  } finally {
    await log?.close();
    process.exit(0);
  }
}
