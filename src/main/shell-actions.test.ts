import { describe, expect, it } from 'vitest';
import type { IpcPeer } from '../ipc/transport.ts';
import { RENDERER_ERRORS_PER_MINUTE, shellActions } from './shell-actions.ts';

const peer = (id: string): IpcPeer => ({ id, url: 'app://wasmforge/index.html', isMainFrame: true, send: () => undefined });

function setup(openResult = '') {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
  const opened: string[] = [];
  let clock = 0;
  const handle = shellActions({
    logsFolder: '/data/logs', log: { info: at('info'), warn: at('warn'), error: at('error') },
    openPath: async (path) => (opened.push(path), openResult), now: () => clock,
  });
  return { lines, opened, handle, advance: (ms: number) => void (clock += ms) };
}
const error = (message: string) => ({ kind: 'shell', action: 'report-error', error: { source: 'error', message } });

describe('the shell’s actions', () => {
  it('keeps at most 30 renderer errors a minute per window, says once that it drops the rest, and takes them again after the minute', () => {
    const { lines, handle, advance } = setup();
    for (let index = 0; index < 100; index++) handle(peer('1.0'), error(`boom ${index}`));
    handle(peer('2.0'), error('another window'));
    const logged = lines.filter(([, message]) => message === 'renderer error');
    expect(logged).toHaveLength(RENDERER_ERRORS_PER_MINUTE + 1);
    expect(lines.filter(([, message]) => message.startsWith('a window reports too many errors'))).toHaveLength(1);
    advance(60_000);
    handle(peer('1.0'), error('after the minute'));
    expect(lines.at(-1)).toEqual(['error', 'renderer error', expect.objectContaining({ peer: '1.0', error: 'after the minute' })]);
  });

  it('opens only its own folder, says in the log when it could not, and drops anything else', async () => {
    const { lines, opened, handle } = setup('No application is associated with the folder');
    handle(peer('1.0'), { kind: 'shell', action: 'open-logs-folder' });
    for (const bad of [{ kind: 'shell', action: 'open-path', path: '/' }, { kind: 'shell', action: 'report-error', error: { source: 'console', message: 'x' } }, 'shell', null]) handle(peer('1.0'), bad);
    await new Promise((resolve) => setImmediate(resolve));
    expect(opened).toEqual(['/data/logs']);
    expect(lines).toContainEqual(['warn', 'could not open the logs folder', { folder: '/data/logs', reason: 'No application is associated with the folder' }]);
    expect(lines.filter(([, message]) => message === 'dropped a malformed shell request from a window')).toHaveLength(4);
  });
});
