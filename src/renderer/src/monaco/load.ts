// Monaco, bundled with the app (never a CDN): the editor core, its standard features, Python
// highlighting, and web workers built by Vite: Monaco's own and Ruff's (ruff.ts: lint and format).
// Loaded lazily, after the first screen.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/python/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { registerRuffFormatter } from './ruff.ts';
import { registerSdkSupport } from './sdk-support.ts';

export { lintAsYouType } from './ruff.ts';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

export type Monaco = typeof monaco;

let registered = false;

export function setupMonaco(options: { sdkStub: Promise<string>; models: () => Promise<string[]> }): Monaco {
  if (!registered) {
    registered = true;
    registerSdkSupport(monaco, options);
    registerRuffFormatter(monaco);
  }
  return monaco;
}
