// Monaco, bundled with the app (never a CDN): the editor core, its standard features, Python
// highlighting, and web workers built by Vite: Monaco's own, Ruff's (ruff.ts: lint and format) and
// basedpyright's (pyright-*.ts: completion, hover, signatures, definitions, type errors).
// Loaded lazily, after the first screen.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/python/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { startLanguageServer, type LanguageServer } from './pyright-client.ts';
import { registerDefinitionOpener, registerPyrightFeatures } from './pyright-features.ts';
import { syncPluginModels } from './pyright-sync.ts';
import { registerRuffFormatter } from './ruff.ts';
import { registerSdkSupport } from './sdk-support.ts';

export { lintAsYouType } from './ruff.ts';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

export type Monaco = typeof monaco;

let languageServer: Promise<LanguageServer> | undefined;

/** The language server, started with the editor (once): its workers, for the bench's memory measure. */
export function pythonLanguageServer(): Promise<LanguageServer> | undefined {
  return languageServer;
}

export function setupMonaco(options: { sdkStub: Promise<string>; models: () => Promise<string[]> }): Monaco {
  if (!languageServer) {
    // Without the SDK's stub the server still knows Python; platform_sdk is then unresolved.
    languageServer = options.sdkStub.catch(() => '').then(startLanguageServer);
    const sdkNames = registerSdkSupport(monaco, options);
    registerPyrightFeatures(monaco, languageServer, sdkNames);
    registerDefinitionOpener(monaco);
    languageServer.then((server) => syncPluginModels(monaco, server), () => undefined);
    registerRuffFormatter(monaco);
  }
  return monaco;
}
