#!/usr/bin/env node
// The CLI runs straight from the TypeScript sources (tsx), so `npx wasmforge` works after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
