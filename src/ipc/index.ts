export { IpcRouter, type IpcRouterOptions } from './router.ts';
export { isTrustedSender } from './sender.ts';
export type { IpcPeer, IpcServerTransport } from './transport.ts';
export { createMemoryIpcPair, type MemoryIpcPair } from './memory.ts';
