import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import RuffWorker from './ruff.worker.ts?worker';
import type { RuffProblem, RuffReply, RuffRequest } from './ruff-service.ts';

type Monaco = typeof MonacoApi;
type Ask = { kind: RuffRequest['kind']; code: string };

const LINT_DELAY_MS = 300;
/** The owner of Ruff's markers on a model: the sandbox's syntax errors ('wasmforge') are kept beside them. */
export const RUFF_MARKER_OWNER = 'ruff';

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (reply: RuffReply) => void>();

/** The worker, started the first time Ruff is asked anything (the 11 MB .wasm loads only then). */
function ruffWorker(): Worker {
  if (worker) return worker;
  worker = new RuffWorker({ name: 'ruff' });
  worker.onmessage = (event: MessageEvent<RuffReply>) => {
    pending.get(event.data.id)?.(event.data);
    pending.delete(event.data.id);
  };
  // A worker that cannot load (a missing asset): every question fails, and the next one starts it anew.
  worker.onerror = () => {
    for (const [id, answer] of pending) answer({ id, kind: 'failed', message: 'The Ruff worker stopped' });
    pending.clear();
    worker?.terminate();
    worker = undefined;
  };
  return worker;
}

function askRuff(ask: Ask): Promise<RuffReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    ruffWorker().postMessage({ id, ...ask } satisfies RuffRequest);
  });
}

/** The code as Ruff formats it, or undefined when it cannot (a syntax error). */
export async function ruffFormat(code: string): Promise<string | undefined> {
  const reply = await askRuff({ kind: 'format', code });
  return reply.kind === 'format' ? reply.formatted : undefined;
}

const linted = new WeakSet<MonacoApi.editor.ITextModel>();

/** Ruff checks this model a moment after each edit stops; a check made stale by newer typing is dropped. */
export function lintAsYouType(monaco: Monaco, model: MonacoApi.editor.ITextModel): void {
  if (linted.has(model)) return;
  linted.add(model);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const lint = async (): Promise<void> => {
    const version = model.getVersionId();
    const reply = await askRuff({ kind: 'check', code: model.getValue() });
    if (model.isDisposed() || model.getVersionId() !== version) return;
    // A check that failed keeps the last markers rather than blanking them.
    if (reply.kind === 'check') monaco.editor.setModelMarkers(model, RUFF_MARKER_OWNER, reply.problems.map((p) => ruffMarker(monaco, p)));
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void lint(), LINT_DELAY_MS);
  };
  model.onDidChangeContent(schedule);
  model.onWillDispose(() => clearTimeout(timer));
  schedule();
}

function ruffMarker(monaco: Monaco, problem: RuffProblem): MonacoApi.editor.IMarkerData {
  return {
    severity: problem.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
    message: problem.message,
    source: RUFF_MARKER_OWNER,
    code: problem.code,
    tags: problem.unnecessary ? [monaco.MarkerTag.Unnecessary] : [],
    startLineNumber: problem.startLineNumber, startColumn: problem.startColumn,
    endLineNumber: problem.endLineNumber, endColumn: problem.endColumn,
  };
}

/** Monaco's Format Document (and Format on save) for Python: the whole file as Ruff formats it, one undoable edit. */
export function registerRuffFormatter(monaco: Monaco): void {
  monaco.languages.registerDocumentFormattingEditProvider('python', {
    displayName: 'Ruff',
    async provideDocumentFormattingEdits(model) {
      const version = model.getVersionId();
      const formatted = await ruffFormat(model.getValue());
      if (formatted === undefined || model.getVersionId() !== version || formatted === model.getValue()) return [];
      return [{ range: model.getFullModelRange(), text: formatted }];
    },
  });
}
