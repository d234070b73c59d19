import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { IpcPeer, IpcServerTransport } from '../ipc/transport.ts';
import { IPC_CHANNEL } from '../shared/api/wire.ts';

/** Electron's ipcMain as the IPC router's transport: one channel, the sending frame described for the sender check. */
export function electronIpcTransport(): IpcServerTransport {
  const goneListeners: Array<(peerId: string) => void> = [];
  const watched = new WeakSet<WebContents>();

  function watch(contents: WebContents): void {
    if (watched.has(contents)) return;
    watched.add(contents);
    const gone = () => goneListeners.forEach((listener) => listener(String(contents.id)));
    contents.on('destroyed', gone);
    contents.on('render-process-gone', gone);
    contents.on('did-start-navigation', (details) => details.isMainFrame && !details.isSameDocument && gone());
  }

  function peerOf(event: IpcMainEvent): IpcPeer {
    const contents = event.sender;
    watch(contents);
    const frame = event.senderFrame;
    return {
      id: String(contents.id),
      url: frame?.url ?? '',
      isMainFrame: frame !== null && frame === contents.mainFrame,
      send: (reply) => {
        if (!contents.isDestroyed()) contents.send(IPC_CHANNEL, reply);
      },
    };
  }

  return {
    onMessage: (listener) => ipcMain.on(IPC_CHANNEL, (event, message: unknown) => listener(peerOf(event), message)),
    onPeerGone: (listener) => goneListeners.push(listener),
  };
}
