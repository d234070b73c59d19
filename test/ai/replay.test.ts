import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRecording, loadRecording } from '../../src/ai/recording.ts';
import { RecordingProvider, ReplayProvider } from '../../src/ai/replay.ts';
import { TestAiProvider } from '../../src/ai/test-provider.ts';
import { failureOf } from './helpers.ts';

const signal = new AbortController().signal;

describe('record and replay', () => {
  it('replays what was recorded, through a file, marked as replayed', async () => {
    const recorder = new RecordingProvider(new TestAiProvider({ answer: (r) => `answer to ${r.prompt}` }));
    await recorder.listInstalledModels();
    await recorder.generate({ model: 'gemma2:2b', prompt: 'one', temperature: 0.3 }, { signal });
    await recorder.embed({ model: 'nomic-embed-text:latest', input: ['x'] }, { signal });
    const file = join(await mkdtemp(join(tmpdir(), 'wf-rec-')), 'calls.json');
    await writeFile(file, formatRecording(recorder.recording()));

    const replay = new ReplayProvider(await loadRecording(file), file);
    expect(await replay.listInstalledModels()).toEqual(expect.arrayContaining(['gemma2:2b', 'nomic-embed-text:latest']));
    const tokens: string[] = [];
    // Sampling options do not choose the answer: a different temperature still matches.
    const answer = await replay.generate({ model: 'gemma2:2b', prompt: 'one' }, { signal, onToken: (t) => tokens.push(t) });
    expect(answer).toMatchObject({ text: 'answer to one', replayed: true });
    expect(tokens.join('')).toBe('answer to one');
    expect((await replay.embed({ model: 'nomic-embed-text', input: ['x'] })).replayed).toBe(true);
  });

  it('a call that is not in the recording is REPLAY_MISS naming it', async () => {
    const replay = new ReplayProvider({ format: 'wasmforge-ai-recording', version: 1, models: [], calls: [] }, 'calls.json');
    const error = await failureOf(replay.generate({ model: 'gemma2:2b', prompt: 'Summarize: the report' }, { signal }));
    expect(error.code).toBe('REPLAY_MISS');
    expect(error.message).toBe('No recorded answer for AI call #1 (gemma2:2b, prompt "Summarize: the report") in calls.json: it holds no answers of this kind yet');
    expect(error.details).toEqual({ call: 1, model: 'gemma2:2b', field: null });
    // Nothing recorded (a plugin without test cases, in replay mode): recording needs Ollama, so the hint also says how to write one by hand.
    expect(error.hint).toContain('or write one by hand: a case file in the plugin\'s tests/ folder with "ai": [{ "model": …, "prompt": …, "response": … }]');
  });

  it('a miss names which call of the run, its model, and where its prompt differs from the recorded one', async () => {
    const call = (prompt: string, model = 'gemma2:2b') => ({ kind: 'generate' as const, request: { model, prompt }, response: { text: 'ok' } });
    const recording = { format: 'wasmforge-ai-recording' as const, version: 1 as const, models: [], calls: [call('Translate: hello'), call('Summarize: the long report of May')] };
    const replay = new ReplayProvider(recording, 'test case "may"');
    await replay.generate({ model: 'gemma2:2b', prompt: 'Translate: hello' }, { signal });
    const error = await failureOf(replay.generate({ model: 'gemma2:2b', prompt: 'Summarize: the long report of June' }, { signal }));
    expect(error.details).toEqual({ call: 2, model: 'gemma2:2b', field: 'prompt', recorded: '… the long report of May', actual: '… the long report of June' });
    expect(error.message).toContain('AI call #2 (gemma2:2b');
    expect(error.message).toContain('its prompt differs from the recorded call\'s: recorded "… the long report of May", got "… the long report of June"');
    const otherModel = await failureOf(new ReplayProvider(recording, 'r').generate({ model: 'llama3.2', prompt: 'Translate: hello' }, { signal }));
    expect(otherModel.details).toMatchObject({ call: 1, field: 'model', recorded: 'gemma2:2b', actual: 'llama3.2' });
  });

  it('the same call recorded twice answers in order, then keeps the last answer', async () => {
    const call = (text: string) => ({ kind: 'generate' as const, request: { model: 'm:1', prompt: 'p' }, response: { text } });
    const replay = new ReplayProvider({ format: 'wasmforge-ai-recording', version: 1, models: [], calls: [call('first'), call('second')] }, 'f');
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await replay.generate({ model: 'm:1', prompt: 'p' }, { signal })).text);
    expect(texts).toEqual(['first', 'second', 'second']);
  });

  it('a file that is not a recording is BAD_INPUT; a missing one NOT_FOUND', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wf-rec-'));
    await writeFile(join(dir, 'bad.json'), '{"format": "something else"}');
    expect((await failureOf(loadRecording(join(dir, 'bad.json')))).code).toBe('BAD_INPUT');
    expect((await failureOf(loadRecording(join(dir, 'none.json')))).code).toBe('NOT_FOUND');
  });
});
