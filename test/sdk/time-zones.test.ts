import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxRuntime } from '../../src/sandbox/index.ts';

// zoneinfo in a guest with no files: the SDK's `tzdata` package asks the host for each zone.
const runtime = new SandboxRuntime({ warmPoolSize: 1 });
beforeAll(() => runtime.prewarm());
afterAll(() => runtime.close());

const run = async (code: string) => {
  const result = await runtime.run({ code: `import datetime, json, zoneinfo\nfrom zoneinfo import ZoneInfo\nfrom platform_sdk import send_output\n${code}` });
  expect(result.error).toBeNull();
  return JSON.parse(result.output) as unknown;
};

describe('time zones in the sandbox', () => {
  it('ZoneInfo("Europe/Paris") knows summer and winter time; other zones and the list are there', async () => {
    expect(await run(`
at = lambda zone, month: datetime.datetime(2026, month, 1, 12, tzinfo=ZoneInfo(zone))
send_output({
    "paris": [str(at("Europe/Paris", m).utcoffset()) for m in (1, 7)],
    "new_york": [at("America/New_York", m).tzname() for m in (1, 7)],
    "tokyo": str(at("Asia/Tokyo", 7).utcoffset()),
    "converted": datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.timezone.utc).astimezone(ZoneInfo("Europe/Paris")).isoformat(),
    "zones": len(zoneinfo.available_timezones()),
})`)).toEqual({
      paris: ['1:00:00', '2:00:00'], new_york: ['EST', 'EDT'], tokyo: '9:00:00', converted: '2026-07-01T14:00:00+02:00', zones: 598,
    });
  });

  it('a key that is no zone is ZoneInfoNotFoundError (or zoneinfo\'s own ValueError for a path), and a forged request gets nothing', async () => {
    expect(await run(`
def attempt(key):
    try:
        ZoneInfo(key)
        return "found"
    except Exception as error:
        return type(error).__name__
import platform_sdk
forged = [platform_sdk._channel.request("tz", payload)[0] for payload in ({"key": {"x": 1}}, {"key": "../../etc/passwd"}, {"key": "__proto__"}, {})]
send_output({"mars": attempt("Mars/Olympus"), "path": attempt("../../etc/passwd"), "proto": attempt("constructor"), "forged": forged})`)).toEqual({
      mars: 'ZoneInfoNotFoundError', path: 'ValueError', proto: 'ZoneInfoNotFoundError', forged: ['tz_err', 'tz_err', 'tz_err', 'tz_err'],
    });
  });
});
