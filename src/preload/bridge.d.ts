import type { WasmForgeBridge } from '../shared/api/wire.ts';

// What the preload puts on window in the desktop app; absent in a browser (the UI then uses HTTP).
declare global {
  interface Window {
    wasmforge?: WasmForgeBridge;
  }
}
