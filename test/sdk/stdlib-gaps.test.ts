import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxRuntime } from '../../src/sandbox/index.ts';

// What the README ("What the sandbox's Python lacks") and the SDK stub say is missing, and the
// time-zone data the SDK brings, checked in the real python.wasm: when a gap closes, this fails and
// the docs change with it.
const runtime = new SandboxRuntime({ warmPoolSize: 1 });
beforeAll(() => runtime.prewarm());
afterAll(() => runtime.close());

const PROBE = `import datetime, hashlib, hmac, importlib, json
from platform_sdk import send_output

def importable(name):
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False

try:
    from zoneinfo import ZoneInfo
    paris = [str(datetime.datetime(2026, month, 1, 12, tzinfo=ZoneInfo("Europe/Paris")).utcoffset()) for month in (1, 7)]
except Exception as error:
    paris = type(error).__name__

send_output({
    "paris": paris,
    "fixed": datetime.datetime(2026, 7, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2))).isoformat(),
    "modules": {name: importable(name) for name in ["_pydecimal", "decimal", "lzma", "ssl", "zoneinfo", "sqlite3", "zlib", "bz2"]},
    "pbkdf2_hmac": hasattr(hashlib, "pbkdf2_hmac"),
    "scrypt": hasattr(hashlib, "scrypt"),
    "sha256": hashlib.sha256(b"wasmforge").hexdigest()[:12],
    "hmac": hmac.new(b"key", b"message", "sha256").hexdigest()[:12],
})
`;

describe("the sandbox's standard library, as documented", () => {
  it('lacks _pydecimal, lzma, ssl, pbkdf2_hmac and scrypt; has time zones and the rest it is documented with', async () => {
    const result = await runtime.run({ code: PROBE });
    expect(result.error).toBeNull();
    expect(JSON.parse(result.output)).toEqual({
      paris: ['1:00:00', '2:00:00'],
      fixed: '2026-07-01T00:00:00+02:00',
      modules: { _pydecimal: false, decimal: true, lzma: false, ssl: false, zoneinfo: true, sqlite3: true, zlib: true, bz2: true },
      pbkdf2_hmac: false,
      scrypt: false,
      sha256: expect.stringMatching(/^[0-9a-f]{12}$/),
      hmac: '6e9ef29b75ff',
    });
  });
});
