import type { Diagnostic } from 'vscode-languageserver-protocol';

/** The checker's rules for an import it cannot resolve: with no module at all, or with a stub but no source. */
const MISSING_IMPORT_RULES = new Set(['reportMissingImports', 'reportMissingModuleSource']);

/**
 * The sandbox has the standard library, platform_sdk and the plugin's own modules, nothing from
 * PyPI: an unresolved import says so instead of the checker's generic "could not be resolved"
 * (which suggests installing something, and nothing can be installed).
 */
export function sandboxMessage(diagnostic: Pick<Diagnostic, 'code' | 'message'>): string {
  if (!MISSING_IMPORT_RULES.has(String(diagnostic.code ?? ''))) return diagnostic.message;
  const name = /Import "([^"]+)"/.exec(diagnostic.message)?.[1];
  if (!name) return diagnostic.message;
  return `"${name}" is not available in the sandbox: plugins have Python's standard library, platform_sdk and their own modules, nothing installed from PyPI`;
}

/**
 * platform_sdk is a stub for the editor and real in the sandbox: the checker's note that it has no
 * source is not the user's problem.
 */
export function isSdkSourceNotice(diagnostic: Pick<Diagnostic, 'code' | 'message'>): boolean {
  return diagnostic.code === 'reportMissingModuleSource' && /Import "platform_sdk(\.[^"]*)?"/.test(diagnostic.message);
}

/** Findings Ruff already shows in the same place (F401 for an unused import): one is enough. */
const SAID_BY_RUFF = new Set(['reportUnusedImport']);

/** Findings the editor leaves out: platform_sdk's missing source, and what Ruff says already. */
export function isLeftOut(diagnostic: Pick<Diagnostic, 'code' | 'message'>): boolean {
  return isSdkSourceNotice(diagnostic) || SAID_BY_RUFF.has(String(diagnostic.code ?? ''));
}

/** An unresolved import is an error whatever the checker's level for it: the run would fail on it. */
export function sandboxSeverity(diagnostic: Pick<Diagnostic, 'code' | 'severity'>): Diagnostic['severity'] {
  return MISSING_IMPORT_RULES.has(String(diagnostic.code ?? '')) ? 1 : diagnostic.severity;
}
