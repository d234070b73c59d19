/**
 * Where things live in the language server's in-memory file system: the plugin's files under the
 * workspace root /plugin (Monaco models file:///plugin/<path>), the SDK's stub under /sdk (the
 * server's stub path), the standard library's stubs under /typeshed (inside the server's bundle).
 */
export const PLUGIN_ROOT_URI = 'file:///plugin';
export const PLUGIN_URI_PREFIX = `${PLUGIN_ROOT_URI}/`;
export const SDK_STUB_PATH = '/sdk/platform_sdk.pyi';
export const TYPESHED_PATH = '/typeshed';

/** The checker's settings for plugins: Python 3.12 as the sandbox runs it, pyright's standard rules. */
export const PYRIGHT_CONFIG = {
  typeshedPath: TYPESHED_PATH,
  stubPath: '/sdk',
  pythonVersion: '3.12',
  pythonPlatform: 'Linux',
  typeCheckingMode: 'standard',
  // A third-party import with a stub in typeshed (requests) is as unavailable as one without (numpy).
  reportMissingModuleSource: 'error',
};

/** The server's first files: its settings and the SDK's stub. */
export function initialFiles(sdkStub: string): Record<string, string> {
  return { '/plugin/pyrightconfig.json': JSON.stringify(PYRIGHT_CONFIG), [SDK_STUB_PATH]: sdkStub };
}

/** A Monaco model the server should know: Python under file:///plugin/. */
export function isPluginModel(model: { uri: { toString(): string }; getLanguageId(): string }): boolean {
  return model.getLanguageId() === 'python' && model.uri.toString().startsWith(PLUGIN_URI_PREFIX);
}

/** A stub file's text asked of the worker (go to definition into the standard library). */
export interface StubFileRequest {
  id: number;
  path: string;
}

export interface StubFileReply {
  id: number;
  text: string | undefined;
}
