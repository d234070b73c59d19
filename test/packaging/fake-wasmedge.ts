// A stand-in for a WasmEdge release folder (bin/, lib64/, include/, LICENSE), laid out like the official
// archives. Its wasmedge is a shell script that only answers --version, which is all discovery asks.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FAKE_WASMEDGE_VERSION = '0.17.1';

export function writeFakeWasmEdge(dir: string, platform: 'linux' | 'darwin' | 'win32', version = FAKE_WASMEDGE_VERSION): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'LICENSE'), 'Apache License 2.0 (stand-in)');
  if (platform === 'win32') {
    writeFileSync(join(dir, 'bin', 'wasmedge.exe'), 'MZ stand-in');
    writeFileSync(join(dir, 'bin', 'wasmedge.dll'), 'MZ stand-in');
    return;
  }
  writeFileSync(join(dir, 'bin', 'wasmedge'), `#!/bin/sh\necho "wasmedge version ${version}"\n`, { mode: 0o755 });
  const lib = platform === 'darwin' ? 'lib' : 'lib64';
  const real = platform === 'darwin' ? 'libwasmedge.0.1.0.dylib' : 'libwasmedge.so.0.1.0';
  mkdirSync(join(dir, lib), { recursive: true });
  writeFileSync(join(dir, lib, real), 'stand-in library');
  symlinkSync(real, join(dir, lib, platform === 'darwin' ? 'libwasmedge.0.dylib' : 'libwasmedge.so.0'));
  mkdirSync(join(dir, 'include', 'wasmedge'), { recursive: true });
  writeFileSync(join(dir, 'include', 'wasmedge', 'wasmedge.h'), '/* headers are not shipped */');
}
