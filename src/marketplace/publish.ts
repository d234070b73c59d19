import { WasmForgeError, type ErrorInfo } from '../shared/errors.ts';
import { openPlugin } from '../library/workspace.ts';
import type { PluginManifest } from '../library/manifest.ts';
import type { PluginFiles } from '../shared/plugin-files.ts';
import { contentSha256, loadOrCreateAuthorKey, signStatement, type AuthorKey } from './signing.ts';
import type { SignedVersion } from './types.ts';

/** The sandbox's syntax check (SandboxRuntime.checkSyntax): SYNTAX_ERROR info, or null when the code compiles. */
export type CheckSyntax = (code: string, filename?: string) => Promise<ErrorInfo | null>;

/**
 * The checks of "publish in one click", all local and before anything is queued or sent:
 * the manifest is valid (openPlugin), the code is not empty and compiles in the sandbox,
 * then the version is signed with the author's key. The version bump is checked against the
 * outbox here and, authoritatively, by the marketplace transaction.
 */
export async function preparePublication(home: string, dir: string, checkSyntax: CheckSyntax): Promise<SignedVersion> {
  const plugin = await openPlugin(dir);
  if (plugin.code.trim() === '') {
    throw new WasmForgeError('BAD_INPUT', `${plugin.dir}/plugin.py is empty`, { hint: 'Write the plugin before publishing it.' });
  }
  const modules = Object.entries(plugin.files).filter(([path]) => path.endsWith('.py'));
  const sources: Array<[string, string]> = [['plugin.py', plugin.code], ...modules];
  for (const [path, code] of sources) await assertCompiles(checkSyntax, path, code);
  return signVersion(await loadOrCreateAuthorKey(home), plugin.manifest, plugin.code, plugin.files);
}

async function assertCompiles(checkSyntax: CheckSyntax, path: string, code: string): Promise<void> {
  // The sandbox names a file name.py: a module in a folder is checked under its path with dots.
  const syntax = await checkSyntax(code, path.replaceAll('/', '.'));
  if (!syntax) return;
  const where = syntax.line ? ` (line ${syntax.line}${syntax.column ? `, column ${syntax.column}` : ''})` : '';
  throw new WasmForgeError('SYNTAX_ERROR', `${path} does not compile${where}: ${syntax.message}`, {
    hint: 'Fix the syntax error, then publish again.',
  });
}

export function signVersion(key: AuthorKey, manifest: PluginManifest, code: string, files: PluginFiles = {}): SignedVersion {
  const sha256 = contentSha256(code, files);
  const signature = signStatement(key, { name: manifest.name, version: manifest.version, sha256, manifest });
  return {
    name: manifest.name, version: manifest.version, code, files, manifest, sha256, signature,
    publicKey: key.publicKey, fingerprint: key.fingerprint,
  };
}
