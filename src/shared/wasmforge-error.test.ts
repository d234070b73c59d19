import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, errorInfoOf } from './api/api-error.ts';
import { fileReadError, toErrorInfo, WasmForgeError } from './wasmforge-error.ts';

describe('a file the user named that cannot be read', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-read-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const failureReading = (path: string) => readFile(path, 'utf8').then(() => expect.unreachable(), (error: unknown) => fileReadError(error, path, 'recording'));

  it('is NOT_FOUND when missing and BAD_INPUT when a folder, naming the file', async () => {
    const missing = join(dir, 'none.json');
    expect((await failureReading(missing)).toInfo()).toEqual({ code: 'NOT_FOUND', message: `No recording file at ${missing}` });
    expect((await failureReading(dir)).toInfo()).toEqual({ code: 'BAD_INPUT', message: `${dir} is a folder; the recording must be a file` });
  });

  it('is STORAGE_ERROR with the reason otherwise', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(fileReadError(denied, '/x', 'input')).toMatchObject({ code: 'STORAGE_ERROR', message: 'Could not read the input file /x: EACCES: permission denied' });
  });
});

describe('what went wrong, as an error with a code', () => {
  it('keeps the code of a product error or an API reply; anything else is INTERNAL', () => {
    const typed = new WasmForgeError('TIMEOUT', 'too slow', { hint: 'wait less' });
    expect(errorInfoOf(typed)).toEqual({ code: 'TIMEOUT', message: 'too slow', hint: 'wait less' });
    expect(errorInfoOf(new ApiError({ code: 'BUSY', message: 'later' }))).toEqual({ code: 'BUSY', message: 'later' });
    expect(errorInfoOf(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
    expect(toErrorInfo('thrown text')).toEqual({ code: 'INTERNAL', message: 'thrown text' });
  });
});
