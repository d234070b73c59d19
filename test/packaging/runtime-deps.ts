// Which packages the packaged main process can load: the bare imports of the built bundle (out/main)
// and everything they depend on, as installed in node_modules.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';
import { PROJECT_DIR } from './builder-config.ts';

export const MAIN_OUT = join(PROJECT_DIR, 'out', 'main');
export const isBuilt = (): boolean => existsSync(join(MAIN_OUT, 'index.js')) && existsSync(join(MAIN_OUT, 'sandbox-worker.js'));

/** The `files` patterns, whether written as strings or (as validation rewrites them) a filter list. */
export function filePatterns(config: Configuration): string[] {
  return [config.files].flat().flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    return entry && !entry.from ? [entry.filter ?? []].flat() : [];
  });
}

/** Package names from `files` patterns of the form "!node_modules/<name>${/*}". */
export function excludedPackages(config: Configuration): string[] {
  return filePatterns(config)
    .map((pattern) => /^!node_modules\/((?:@[^/]+\/)?[^/$]+)\$\{\/\*\}$/.exec(pattern)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** Relative imports of one built file (`./chunks/x.js`), for following the worker's chunks. */
export function relativeImports(file: string): string[] {
  return specifiers(readFileSync(file, 'utf8')).filter((specifier) => specifier.startsWith('.'));
}

/** Bare package imports of every built main-process file, without Node built-ins and electron. */
export function bundledPackages(dir = MAIN_OUT): string[] {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(c|m)?js$/.test(entry.name)) continue;
    for (const specifier of specifiers(readFileSync(join(entry.parentPath, entry.name), 'utf8'))) {
      if (/^[./]/.test(specifier) || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      // Prose inside the bundle's strings can look like an import (`embeddings from "${model}"`).
      if (!PACKAGE_SPECIFIER.test(specifier)) continue;
      const name = packageName(specifier);
      if (name !== 'electron') names.add(name);
    }
  }
  return [...names].sort();
}

/** The packages and all their (optional) dependencies, by name. */
export function dependencyClosure(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = roots.map((name) => ({ name, from: PROJECT_DIR }));
  for (let item = queue.shift(); item; item = queue.shift()) {
    const dir = packageDir(item.name, item.from);
    if (!dir || seen.has(item.name)) continue;
    seen.add(item.name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) queue.push({ name, from: dir });
    }
  }
  return seen;
}

/** An npm package name, optionally with a path inside it. */
const PACKAGE_SPECIFIER = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(?:\/[\w.-]+)*$/;

function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) found.push(match[1]!);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Where Node would find a package from `from`: a nested node_modules first, then the hoisted one. */
function packageDir(name: string, from: string): string | undefined {
  for (const base of [join(from, 'node_modules'), join(PROJECT_DIR, 'node_modules')]) {
    if (existsSync(join(base, name, 'package.json'))) return join(base, name);
  }
  return undefined;
}
