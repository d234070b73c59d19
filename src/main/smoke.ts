import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserWindow } from 'electron';

/**
 * `npm run smoke:desktop` (scripts/smoke-desktop.js) starts the real app with WASMFORGE_SMOKE_OUT
 * set: the app then uses a fresh data folder inside it, runs a hello-world plugin from the page
 * through the preload bridge (the real IPC channel, sender check, main's relay and the router in the
 * backend process, whose pid the report names), saves a screenshot
 * and result.json there, and quits through the normal cleanup. The script judges the result.
 */
export const SMOKE_OUT_ENV = 'WASMFORGE_SMOKE_OUT';

export const SMOKE_PLUGIN = 'from platform_sdk import get_input, send_output\nsend_output("hello, " + get_input())\n';
export const SMOKE_EXPECTED_OUTPUT = 'hello, smoke';

/** Far above the ids the app's own client uses, so its answer is never taken for one of theirs. */
const SMOKE_CALL_ID = 2_000_000_000;
const SMOKE_TIMEOUT_MS = 90_000;

export interface SmokeReport {
  ok: boolean;
  output?: string;
  /** The IPC envelope (or the error) as the page received it. */
  answer: unknown;
  screenshot?: string;
  ms: number;
  /** Which processes served it: the answer must have come from the backend process, not main. */
  mainPid: number;
  backendPid?: number;
  backendGeneration?: number;
}

/** The part of BackendHost the report names. */
export interface SmokeBackend {
  readonly pid: number | undefined;
  readonly generation: number;
}

/** Runs in the page: one runs.run call over window.wasmforge, resolved with the final envelope. */
function pageScript(): string {
  const request = { kind: 'call', id: SMOKE_CALL_ID, route: 'runs.run', input: { code: SMOKE_PLUGIN, input: 'smoke', remember: false } };
  return `new Promise((resolve, reject) => {
    const bridge = window.wasmforge;
    if (!bridge) return reject(new Error('the preload bridge (window.wasmforge) is missing'));
    const timer = setTimeout(() => reject(new Error('no answer over IPC in ${SMOKE_TIMEOUT_MS / 1000} s')), ${SMOKE_TIMEOUT_MS});
    const off = bridge.onMessage((message) => {
      if (message.id !== ${SMOKE_CALL_ID} || message.kind !== 'end') return;
      clearTimeout(timer);
      off();
      resolve(message.envelope);
    });
    bridge.send(${JSON.stringify(request)});
  })`;
}

function loaded(window: BrowserWindow): Promise<void> {
  if (!window.webContents.isLoading()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    window.webContents.once('did-finish-load', () => resolve());
    window.webContents.once('did-fail-load', (_event, code: number, description: string) => reject(new Error(`the page did not load: ${description} (${code})`)));
  });
}

/** The smoke run itself; never throws: every failure ends up in result.json. */
export async function runSmoke(window: BrowserWindow, outDir: string, backend?: SmokeBackend): Promise<SmokeReport> {
  const started = Date.now();
  const processes = { mainPid: process.pid, backendPid: backend?.pid, backendGeneration: backend?.generation };
  let report: SmokeReport;
  try {
    await loaded(window);
    const answer = (await window.webContents.executeJavaScript(pageScript(), true)) as { ok?: boolean; data?: { result?: { output?: string } } };
    const output = answer.ok ? answer.data?.result?.output : undefined;
    const screenshot = join(outDir, 'window.png');
    await writeFile(screenshot, (await window.webContents.capturePage()).toPNG());
    const fromBackend = processes.backendPid !== undefined && processes.backendPid !== process.pid;
    report = { ok: output === SMOKE_EXPECTED_OUTPUT && fromBackend, output, answer, screenshot, ms: Date.now() - started, ...processes };
  } catch (error) {
    report = { ok: false, answer: error instanceof Error ? error.message : String(error), ms: Date.now() - started, ...processes };
  }
  await writeFile(join(outDir, 'result.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
