import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeEvent, FakeEmitter } from '../../test/support/fake-electron.ts';
import { quitAfterCleanup } from './quit.ts';

vi.mock('electron', async () => (await import('../../test/support/fake-electron.ts')).electron);
afterEach(() => vi.useRealTimers());

/** An app whose quit() goes through will-quit as Electron's does (no windows here); it records whether it quit. */
function fakeApp() {
  const app = Object.assign(new FakeEmitter(), {
    quitted: 0,
    quit: () => {
      const event = fakeEvent();
      app.emit('will-quit', event);
      if (!event.defaultPrevented) app.quitted += 1;
    },
  });
  return app;
}

describe('quitting after cleanup', () => {
  it('quits anyway when cleanup hangs, once the timeout has passed, and says so', async () => {
    vi.useFakeTimers();
    const app = fakeApp();
    const log = vi.fn();
    quitAfterCleanup(app, () => new Promise<void>(() => undefined), { timeoutMs: 10_000, log });
    app.quit();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(app.quitted).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(app.quitted).toBe(1);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/cleanup before quitting failed: it took longer than 10 s/));
  });

  it('quits when cleanup fails, and cleans up only once however often quit is asked', async () => {
    const app = fakeApp();
    const close = vi.fn(async () => {
      throw new Error('disk gone');
    });
    const log = vi.fn();
    quitAfterCleanup(app, close, { log });
    app.quit();
    app.quit();
    await vi.waitFor(() => expect(app.quitted).toBe(1), { timeout: 10_000 });
    expect(close).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('cleanup before quitting failed: disk gone');
  });
});
