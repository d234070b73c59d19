/**
 * A deny-by-default WASI preview1 for the guest. It knows three file descriptors (stdin, stdout,
 * stderr) and nothing else: no preopened directory, no environment, no sockets, no processes.
 * The guest's standard library lives inside python.wasm (wasi-vfs), so CPython needs no host file.
 * Every call that would reach the host's files or network answers with an error code.
 */
export interface WasiHost {
  /** Blocks until stdin has bytes; returns at most `max` of them (empty = end of file). */
  readStdin(max: number): Uint8Array;
  writeStdout(bytes: Uint8Array): void;
  writeStderr(bytes: Uint8Array): void;
  /** Blocks the guest for `ms` milliseconds. */
  sleep(ms: number): void;
}

/** Thrown out of the guest by proc_exit, caught by the worker. */
export class ProcExit {
  constructor(readonly code: number) {}
}

const ERRNO = { SUCCESS: 0, BADF: 8, INVAL: 28, NOSYS: 52, NOTSUP: 58, SPIPE: 70, NOTCAPABLE: 76 } as const;
const FILETYPE_CHARACTER_DEVICE = 2;
const CLOCK_REALTIME = 0;
const EVENT_CLOCK = 0;
const SUBSCRIPTION_BYTES = 48;
const EVENT_BYTES = 32;
const STDIO = new Set([0, 1, 2]);

type WasiFunction = (...args: number[]) => number;

export function createWasiImports(memory: WebAssembly.Memory, argv: string[], host: WasiHost): Record<string, WasiFunction> {
  const encoder = new TextEncoder();
  const args = argv.map((arg) => encoder.encode(`${arg}\0`));
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);

  const iovecs = (pointer: number, count: number): Array<[number, number]> => {
    const dv = view();
    return Array.from({ length: count }, (_, i) => [dv.getUint32(pointer + 8 * i, true), dv.getUint32(pointer + 8 * i + 4, true)]);
  };

  const write = (fd: number, iovs: number, count: number, written: number): number => {
    if (fd !== 1 && fd !== 2) return ERRNO.BADF;
    let total = 0;
    for (const [pointer, length] of iovecs(iovs, count)) {
      const chunk = bytes().slice(pointer, pointer + length);
      if (fd === 1) host.writeStdout(chunk);
      else host.writeStderr(chunk);
      total += length;
    }
    view().setUint32(written, total, true);
    return ERRNO.SUCCESS;
  };

  const read = (fd: number, iovs: number, count: number, readOut: number): number => {
    if (fd !== 0) return ERRNO.BADF;
    const vectors = iovecs(iovs, count);
    const wanted = vectors.reduce((sum, [, length]) => sum + length, 0);
    const data = host.readStdin(wanted);
    let offset = 0;
    for (const [pointer, length] of vectors) {
      const part = data.subarray(offset, offset + length);
      bytes().set(part, pointer);
      offset += part.length;
      if (offset >= data.length) break;
    }
    view().setUint32(readOut, data.length, true);
    return ERRNO.SUCCESS;
  };

  const imports: Record<string, WasiFunction> = {
    args_sizes_get(countOut, sizeOut) {
      view().setUint32(countOut, args.length, true);
      view().setUint32(sizeOut, args.reduce((sum, a) => sum + a.length, 0), true);
      return ERRNO.SUCCESS;
    },
    args_get(argvOut, bufferOut) {
      let at = bufferOut;
      args.forEach((arg, i) => {
        view().setUint32(argvOut + 4 * i, at, true);
        bytes().set(arg, at);
        at += arg.length;
      });
      return ERRNO.SUCCESS;
    },
    environ_sizes_get(countOut, sizeOut) {
      view().setUint32(countOut, 0, true);
      view().setUint32(sizeOut, 0, true);
      return ERRNO.SUCCESS;
    },
    environ_get: () => ERRNO.SUCCESS,
    clock_res_get(_id, resolutionOut) {
      view().setBigUint64(resolutionOut, 1000n, true);
      return ERRNO.SUCCESS;
    },
    clock_time_get(id, _precision, timeOut) {
      view().setBigUint64(timeOut, nowNanoseconds(id), true);
      return ERRNO.SUCCESS;
    },
    fd_read: read,
    fd_write: write,
    fd_fdstat_get(fd, statOut) {
      if (!STDIO.has(fd)) return ERRNO.BADF;
      const dv = view();
      dv.setUint8(statOut, FILETYPE_CHARACTER_DEVICE);
      dv.setUint16(statOut + 2, 0, true);
      dv.setBigUint64(statOut + 8, fd === 0 ? 0x2n : 0x40n, true); // fd_read / fd_write rights only
      dv.setBigUint64(statOut + 16, 0n, true);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_set_flags: (fd) => (STDIO.has(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
    fd_filestat_get(fd, statOut) {
      if (!STDIO.has(fd)) return ERRNO.BADF;
      bytes().fill(0, statOut, statOut + 64);
      view().setUint8(statOut + 16, FILETYPE_CHARACTER_DEVICE);
      return ERRNO.SUCCESS;
    },
    fd_close: (fd) => (STDIO.has(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
    fd_seek: (fd) => (STDIO.has(fd) ? ERRNO.SPIPE : ERRNO.BADF),
    fd_tell: (fd) => (STDIO.has(fd) ? ERRNO.SPIPE : ERRNO.BADF),
    fd_prestat_get: () => ERRNO.BADF, // no preopened directories: the guest sees no host file
    fd_prestat_dir_name: () => ERRNO.BADF,
    poll_oneoff: (subscriptions, events, count, eventsOut) => pollOneoff(view(), host, subscriptions, events, count, eventsOut),
    proc_exit(code) {
      throw new ProcExit(code);
    },
    sched_yield: () => ERRNO.SUCCESS,
    random_get(pointer, length) {
      for (let at = 0; at < length; at += 65536) {
        crypto.getRandomValues(bytes().subarray(pointer + at, pointer + Math.min(length, at + 65536)));
      }
      return ERRNO.SUCCESS;
    },
    sock_accept: () => ERRNO.NOTSUP,
    sock_recv: () => ERRNO.NOTSUP,
    sock_send: () => ERRNO.NOTSUP,
    sock_shutdown: () => ERRNO.NOTSUP,
  };
  return new Proxy(imports, {
    // Anything not listed (path_open, fd_readdir, path_unlink_file, …) is refused.
    get: (target, key: string) => target[key] ?? (() => (key.startsWith('path_') ? ERRNO.NOTCAPABLE : ERRNO.NOSYS)),
  });
}

function nowNanoseconds(clockId: number): bigint {
  if (clockId === CLOCK_REALTIME) return BigInt(Date.now()) * 1_000_000n;
  return process.hrtime.bigint();
}

/** Supports what CPython needs: clock subscriptions (time.sleep); fd subscriptions report ready. */
function pollOneoff(dv: DataView, host: WasiHost, subscriptions: number, events: number, count: number, eventsOut: number): number {
  if (count === 0) return ERRNO.INVAL;
  let sleepMs = Infinity;
  let anyFd = false;
  for (let i = 0; i < count; i++) {
    const at = subscriptions + i * SUBSCRIPTION_BYTES;
    if (dv.getUint8(at + 8) !== EVENT_CLOCK) {
      anyFd = true;
      continue;
    }
    const clockId = dv.getUint32(at + 16, true);
    const timeout = dv.getBigUint64(at + 24, true);
    const absolute = (dv.getUint16(at + 40, true) & 1) === 1;
    const delta = absolute ? timeout - nowNanoseconds(clockId) : timeout;
    sleepMs = Math.min(sleepMs, Math.max(0, Number(delta) / 1e6));
  }
  if (!anyFd && Number.isFinite(sleepMs)) host.sleep(sleepMs);
  const memory = new DataView(dv.buffer);
  for (let i = 0; i < count; i++) {
    const from = subscriptions + i * SUBSCRIPTION_BYTES;
    const to = events + i * EVENT_BYTES;
    memory.setBigUint64(to, memory.getBigUint64(from, true), true);
    memory.setUint16(to + 8, ERRNO.SUCCESS, true);
    memory.setUint8(to + 10, memory.getUint8(from + 8));
    memory.setBigUint64(to + 16, 0n, true);
    memory.setUint16(to + 24, 0, true);
  }
  memory.setUint32(eventsOut, count, true);
  return ERRNO.SUCCESS;
}
