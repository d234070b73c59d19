import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { IpcPeer, IpcServerTransport } from '../ipc/transport.ts';
import { IPC_CHANNEL } from '../shared/api/wire.ts';

/**
 * Electron's ipcMain as the IPC router's transport: one channel, the sending frame described for
 * the sender check. A peer is one document, not one webContents: a reload keeps contents.id, and
 * the new page numbers its calls from 1 again, so its calls must not meet the old page's.
 */
export function electronIpcTransport(): IpcServerTransport {
  const goneListeners: Array<(peerId: string) => void> = [];
  /** Bumped when a document goes; the peer id is `<contents.id>.<generation>`. */
  const generations = new WeakMap<WebContents, number>();
  const peerId = (contents: WebContents) => `${contents.id}.${generations.get(contents) ?? 0}`;

  function retire(contents: WebContents): void {
    const gone = peerId(contents);
    generations.set(contents, (generations.get(contents) ?? 0) + 1);
    goneListeners.forEach((listener) => listener(gone));
  }

  function watch(contents: WebContents): void {
    if (generations.has(contents)) return;
    generations.set(contents, 0);
    contents.on('destroyed', () => retire(contents));
    contents.on('render-process-gone', () => retire(contents));
    // Retired when the old page starts to leave: its calls are cancelled and their answers dropped.
    // Not again at commit (did-navigate): the new page's first calls may reach main before that
    // event does, and would be cancelled. A call the leaving page sends after this point shares the
    // new page's id space; that page starts after it has unloaded, so such a call is rare and short.
    contents.on('did-start-navigation', (details) => details.isMainFrame && !details.isSameDocument && retire(contents));
  }

  function peerOf(event: IpcMainEvent): IpcPeer {
    const contents = event.sender;
    watch(contents);
    const frame = event.senderFrame;
    const id = peerId(contents);
    return {
      id,
      url: frame?.url ?? '',
      isMainFrame: frame !== null && frame === contents.mainFrame,
      // Answers for a document that has gone are dropped: they would reach the page that replaced it.
      send: (reply) => {
        if (!contents.isDestroyed() && peerId(contents) === id) contents.send(IPC_CHANNEL, reply);
      },
    };
  }

  return {
    onMessage: (listener) => ipcMain.on(IPC_CHANNEL, (event, message: unknown) => listener(peerOf(event), message)),
    onPeerGone: (listener) => goneListeners.push(listener),
  };
}
