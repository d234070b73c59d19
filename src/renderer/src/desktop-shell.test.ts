import { describe, expect, it } from 'vitest';
import type { IpcReply, IpcRequest, WasmForgeBridge } from '../../shared/api/wire.ts';
import { backendNotice, canOpenLogsFolder, connectShell, openLogsFolder, reportRenderError, setShellBridge } from './desktop-shell.ts';

/** The preload's bridge as the page sees it: what was sent, and a way to deliver what main sends. */
function fakeBridge(): WasmForgeBridge & { sent: IpcRequest[]; deliver(message: IpcReply): void } {
  const listeners = new Set<(message: IpcReply) => void>();
  const sent: IpcRequest[] = [];
  return {
    sent,
    send: (message) => void sent.push(message),
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    deliver: (message) => listeners.forEach((listener) => listener(message)),
  };
}

describe('the page and the desktop shell', () => {
  it('sends the page’s uncaught errors and rejections to the log, with their stack, capped', () => {
    const bridge = fakeBridge();
    const page = new EventTarget();
    connectShell(bridge, page as unknown as Window);
    const thrown = new TypeError('x is undefined');
    page.dispatchEvent(Object.assign(new Event('error'), { error: thrown, message: 'Uncaught TypeError: x is undefined' }));
    page.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason: 'y'.repeat(10_000) }));
    expect(bridge.sent[0]).toEqual({ kind: 'shell', action: 'report-error', error: { source: 'error', message: 'TypeError: x is undefined', stack: thrown.stack } });
    expect(bridge.sent[1]).toMatchObject({ kind: 'shell', action: 'report-error', error: { source: 'unhandledrejection' } });
    expect((bridge.sent[1] as { error: { message: string } }).error.message).toHaveLength(4000);
  });

  it('shows the shell’s notice that the backend restarted, and only that', () => {
    const bridge = fakeBridge();
    connectShell(bridge, new EventTarget() as unknown as Window);
    bridge.deliver({ kind: 'end', id: 1, envelope: { ok: true, data: {} } });
    expect(backendNotice.getState().notice).toBeUndefined();
    bridge.deliver({ kind: 'notice', notice: 'backend-restarted', generation: 2 });
    expect(backendNotice.getState().notice).toEqual({ kind: 'notice', notice: 'backend-restarted', generation: 2 });
    backendNotice.getState().dismiss();
    expect(backendNotice.getState().notice).toBeUndefined();
  });

  it('opens the logs folder and logs render errors only in the desktop app', () => {
    setShellBridge(undefined);
    expect(canOpenLogsFolder()).toBe(false);
    openLogsFolder();
    reportRenderError(new Error('ignored in a browser'));
    const bridge = fakeBridge();
    setShellBridge(bridge);
    expect(canOpenLogsFolder()).toBe(true);
    openLogsFolder();
    reportRenderError(new RangeError('bad screen'));
    expect(bridge.sent).toEqual([
      { kind: 'shell', action: 'open-logs-folder' },
      { kind: 'shell', action: 'report-error', error: expect.objectContaining({ source: 'render', message: 'RangeError: bad screen' }) },
    ]);
  });
});
