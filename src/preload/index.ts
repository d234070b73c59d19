// The preload is Electron's own bridge: it needs electron, and it forwards exactly one channel.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL as CHANNEL, type IpcReply, type IpcRequest, type WasmForgeBridge } from '../shared/api/wire.ts';

const bridge: WasmForgeBridge = {
  send: (message: IpcRequest) => ipcRenderer.send(CHANNEL, message),
  onMessage: (listener: (message: IpcReply) => void) => {
    const handler = (_event: IpcRendererEvent, message: IpcReply) => listener(message);
    ipcRenderer.on(CHANNEL, handler);
    return () => void ipcRenderer.off(CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('wasmforge', bridge);
