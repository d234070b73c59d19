import { PositionEncoding, Workspace, type Diagnostic } from '@astral-sh/ruff-wasm-web';

/**
 * What Ruff checks in a plugin. Ruff's own default set: pyflakes (F: unused imports, undefined
 * names, ...) and the pycodestyle rules that catch mistakes rather than layout (E4 imports, E7
 * statements such as `== None` or a bare `except:`, E9 runtime errors), plus W605 (an invalid escape
 * such as "\d", a SyntaxWarning since Python 3.12). No whitespace, blank-line or line-length rules:
 * the formatter owns layout, and a plugin author should not be nagged about it while typing.
 * F403/F405 are off: `from platform_sdk import *` is how the original app's plugins start, and
 * supported; with them on, every SDK call in such a plugin would be underlined.
 */
export const RUFF_SETTINGS = {
  'target-version': 'py312', // the sandbox's CPython
  'line-length': 88,
  'indent-width': 4,
  format: { 'indent-style': 'space', 'quote-style': 'double' },
  lint: { select: ['F', 'E4', 'E7', 'E9', 'W605'], ignore: ['F403', 'F405'] },
} as const;

/** Ruff with these settings, once its module is initialised; UTF-16 positions, as Monaco counts columns. */
export function createRuffWorkspace(): Workspace {
  return new Workspace(RUFF_SETTINGS, PositionEncoding.Utf16);
}

/** Rules whose finding fails at run time (a NameError, a SyntaxError): errors; the rest are warnings. */
const ERROR_CODES = /^(F82[123]|F63\d|F70\d|E9\d\d)$/;

export type RuffRequest = { id: number; kind: 'check'; code: string } | { id: number; kind: 'format'; code: string };

/** One finding, in Monaco's terms (1-based lines, UTF-16 columns, end exclusive). */
export interface RuffProblem {
  code: string;
  message: string;
  severity: 'error' | 'warning';
  /** Code that does nothing (an unused import): the editor fades it. */
  unnecessary: boolean;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

export type RuffReply =
  | { id: number; kind: 'check'; problems: RuffProblem[] }
  | { id: number; kind: 'format'; formatted: string }
  | { id: number; kind: 'failed'; message: string };

/** Answers one request with the given Ruff workspace; Ruff's own failures (code it cannot parse) become a 'failed' reply. */
export function answerRuff(workspace: Pick<Workspace, 'check' | 'format'>, request: RuffRequest): RuffReply {
  try {
    if (request.kind === 'format') return { id: request.id, kind: 'format', formatted: workspace.format(request.code) };
    return { id: request.id, kind: 'check', problems: toProblems(workspace.check(request.code) as Diagnostic[]) };
  } catch (error) {
    return { id: request.id, kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Ruff's diagnostics as problems, top to bottom. Syntax errors ("invalid-syntax") are left out: the Builder shows
 * CPython's own verdict on them (the sandbox's syntax check), which is the one that counts at run time.
 */
export function toProblems(diagnostics: Diagnostic[]): RuffProblem[] {
  const inOrder = [...diagnostics].sort((a, b) => a.start_location.row - b.start_location.row || a.start_location.column - b.start_location.column);
  return inOrder.filter((d) => d.code && d.code !== 'invalid-syntax').map((d) => {
    const code = d.code ?? '';
    const sameSpot = d.end_location.row === d.start_location.row && d.end_location.column <= d.start_location.column;
    return {
      code,
      message: d.message,
      severity: ERROR_CODES.test(code) ? 'error' : 'warning',
      unnecessary: d.tags.includes('unnecessary'),
      startLineNumber: d.start_location.row,
      startColumn: d.start_location.column,
      endLineNumber: d.end_location.row,
      // An empty range would underline nothing: at least one character.
      endColumn: sameSpot ? d.start_location.column + 1 : d.end_location.column,
    };
  });
}
