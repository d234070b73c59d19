// The JavaScript entry of a command-line tool installed in node_modules, to run with `node` itself.
// Scripts never spawn `npx`: on Windows it is npx.cmd, which spawn() cannot start without a shell
// (ENOENT, or EINVAL since Node's CVE-2024-27980 fix), and going through a shell would re-parse arguments.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The file a package's `bin` entry names (`bin` defaults to the package's own name), resolved in
 * the repository's node_modules.
 * @param {string} pkg
 * @param {string} [bin]
 * @param {string} [root]
 */
export function toolEntry(pkg, bin = pkg.replace(/^@[^/]+\//, ''), root = REPO_ROOT) {
  const dir = join(root, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entry = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!entry) throw new Error(`${pkg} has no "${bin}" command (node_modules/${pkg}/package.json)`);
  return join(dir, entry);
}

/**
 * The command and arguments that run a tool: this Node with the tool's entry, the same on every OS.
 * @param {string} pkg
 * @param {string | undefined} bin
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
export function nodeTool(pkg, bin, args) {
  return [process.execPath, [toolEntry(pkg, bin), ...args]];
}
