import { describe, expect, it } from 'vitest';
import { toMarketplaceError } from '../../src/marketplace/db/errors.ts';

// What a database failure becomes for the user: each SQLSTATE lands in exactly one kind of message.
function failure(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`failure ${code}`), { code, ...extra });
}

describe('database failures as typed errors', () => {
  it.each(['57P01', '57P02', '57P03', '53300', '08000', '08006'])('%s: the database went away, publishes wait in the outbox', (code) => {
    // One sentence: the database where it is known, never the internal action ("(search)").
    expect(toMarketplaceError(failure(code), 'search')).toMatchObject({
      code: 'DB_UNAVAILABLE', message: `The marketplace database is unreachable: failure ${code}`, hint: expect.stringContaining('outbox'),
    });
    expect(toMarketplaceError(failure(code), 'search', '127.0.0.1:5555/market')).toMatchObject({
      code: 'DB_UNAVAILABLE', message: `The marketplace database at 127.0.0.1:5555/market is unreachable: failure ${code}`,
    });
  });

  it.each(['40001', '40P01', '53200', '57014', '55P03'])('%s: nothing was written, the same call may well succeed in a moment', (code) => {
    expect(toMarketplaceError(failure(code), 'search')).toMatchObject({
      code: 'DB_UNAVAILABLE', message: expect.stringContaining('could not search just now'), hint: expect.stringContaining('Nothing was written'),
    });
  });

  it('a version that is not greater: the hint names the next version after the newest the database reported', () => {
    const refused = failure('WF001', { message: 'x@1.0.0 is not greater than 1.2.3, the latest published version', detail: '1.2.3' });
    expect(toMarketplaceError(refused, 'publish x@1.0.0')).toMatchObject({
      code: 'VERSION_NOT_GREATER', message: refused.message, hint: 'Raise "version" in plugin.json, e.g. to 1.2.4.',
    });
    expect(toMarketplaceError(failure('WF001', { detail: 'garbage' }), 'publish x@1.0.0')).toMatchObject({
      code: 'VERSION_NOT_GREATER', hint: 'Raise "version" in plugin.json.',
    });
    expect(toMarketplaceError(failure('23505', { constraint: 'versions_pkey' }), 'publish x@1.0.0')).toMatchObject({
      code: 'VERSION_NOT_GREATER', message: 'Could not publish x@1.0.0: that version is already published',
    });
    expect(toMarketplaceError(failure('23505', { constraint: 'plugins_pkey' }), 'publish x@1.0.0')).toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('an identity refusal is NOT_OWNER and a daily quota QUOTA_EXCEEDED, neither retried as a passing failure', () => {
    expect(toMarketplaceError(failure('WF004'), 'publish x@1.0.0')).toMatchObject({ code: 'NOT_OWNER', hint: expect.stringContaining('your own') });
    expect(toMarketplaceError(failure('WF005'), 'publish x@1.0.0')).toMatchObject({ code: 'QUOTA_EXCEEDED', hint: expect.stringContaining('marketplace.quotas') });
    expect(toMarketplaceError(failure('54000'), 'publish x@1.0.0')).toMatchObject({ code: 'BAD_INPUT' });
  });

  it.each([
    ['28P01', 'password authentication failed for user "ada"', /refused the login: password authentication failed for user "ada"/],
    ['28000', 'no PostgreSQL user name specified in startup packet', /URL names no user/],
    ['28000', 'no pg_hba.conf entry for host "10.0.0.2", user "ada", database "market"', /refused the login: no pg_hba\.conf entry/],
    [undefined, 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string', /the server asks for a password and none was given \(not in the URL, nor in PGPASSWORD or ~\/\.pgpass\)/],
  ])('%s %s: a refused login is UNAUTHORIZED with the fix, no outage', (code, message, said) => {
    const refused = toMarketplaceError(Object.assign(new Error(message), code ? { code } : {}), 'search');
    expect(refused).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(said), hint: expect.stringContaining('Settings › Marketplace') });
  });

  it('a refused login says where the user name and password go, in the app and for the CLI (whose --url takes no password)', () => {
    const hints = [
      failure('28P01', { message: 'password authentication failed for user "ada"' }),
      failure('28000', { message: 'no pg_hba.conf entry for host "10.0.0.2", user "ada", database "market"' }),
      new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'),
      failure('28000', { message: 'no PostgreSQL user name specified in startup packet' }),
    ].map((error) => toMarketplaceError(error, 'search').hint ?? '');
    for (const hint of hints) {
      for (const where of ['Settings › Marketplace', 'DATABASE_URL', '--url', 'PGPASSWORD', '~/.pgpass']) expect(hint).toContain(where);
    }
    // One hint for every refusal of these credentials, whichever call met it.
    expect(new Set(hints.slice(0, 3)).size).toBe(1);
  });

  it('a real refusal is not mistaken for a passing one', () => {
    expect(toMarketplaceError(failure('23514'), 'publish x@1.0.0')).toMatchObject({ code: 'BAD_INPUT' });
    expect(toMarketplaceError(failure('XX999'), 'publish x@1.0.0')).toMatchObject({ code: 'STORAGE_ERROR' });
  });
});
