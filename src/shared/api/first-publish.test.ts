import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';
import { firstPublishCheck, isFirstPublish } from './first-publish.ts';
import type { ErrorInfo } from '../errors.ts';

const refusing = (info: ErrorInfo) => () => Promise.reject(new ApiError(info));

describe('isFirstPublish: when a publish is reviewed as a name\'s first', () => {
  it('a name the marketplace has: no review', async () => {
    expect(await isFirstPublish(() => Promise.resolve({}))).toBe(false);
    expect(await isFirstPublish(refusing({ code: 'NOT_FOUND', message: 'x has no versions', details: { missing: 'version' } }))).toBe(false);
  });

  it('a name it does not have, or a marketplace that cannot be asked (the publish may be its first once delivered): reviewed', async () => {
    expect(await isFirstPublish(refusing({ code: 'NOT_FOUND', message: 'x is not in the marketplace', details: { missing: 'plugin' } }))).toBe(true);
    expect(await isFirstPublish(refusing({ code: 'DB_UNAVAILABLE', message: 'unreachable' }))).toBe(true);
  });

  it('any other refusal is the answer itself: a refused login, no marketplace in that database', async () => {
    const login: ErrorInfo = { code: 'UNAUTHORIZED', message: 'password authentication failed' };
    await expect(isFirstPublish(refusing(login))).rejects.toMatchObject({ info: login });
    const noMarket: ErrorInfo = { code: 'NOT_FOUND', message: 'There is no WasmForge marketplace in …', details: { missing: 'marketplace' } };
    await expect(isFirstPublish(refusing(noMarket))).rejects.toMatchObject({ info: noMarket });
  });

  it('firstPublishCheck tells an unreachable marketplace (unknown: not to be called a first publish) from a new name', async () => {
    expect(await firstPublishCheck(refusing({ code: 'DB_UNAVAILABLE', message: 'unreachable' }))).toBe('unknown');
    expect(await firstPublishCheck(refusing({ code: 'NOT_FOUND', message: 'x is not in the marketplace', details: { missing: 'plugin' } }))).toBe('first');
    expect(await firstPublishCheck(() => Promise.resolve({}))).toBe('published');
  });
});
