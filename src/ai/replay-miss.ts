import { WasmForgeError, type ErrorDetails } from '../shared/errors.ts';
import type { AiGenerateRequest } from './provider.ts';
import type { RecordedEmbedCall, RecordedGenerateCall } from './recording.ts';
import { normalizeModelName, promptForRecord } from './requests.ts';

type MissDetails = ErrorDetails<'REPLAY_MISS'>;
type Field = NonNullable<MissDetails['field']>;

const SNIPPET = 60;

/**
 * Why call number `call` of a run found no recorded answer, said so a person can fix the case:
 * the recorded call it is closest to (the one made at the same place in the recording, else the
 * first for the same model) and the first field that differs, quoted around the first difference.
 */
export function generateMiss(call: number, request: AiGenerateRequest, recorded: RecordedGenerateCall[], source: string): WasmForgeError {
  const closest = recorded[call - 1] ?? recorded.find((r) => sameModel(r.request.model, request.model)) ?? recorded[0];
  const difference = closest ? firstDifference(request, closest.request) : undefined;
  const prompt = promptForRecord(request);
  const what = `AI call #${call} (${request.model}, prompt ${quote(prompt.slice(0, 80), prompt.length > 80)})`;
  return missError(what, source, { call, model: request.model, field: null, ...difference }, recorded.length === 0);
}

export function embedMiss(call: number, model: string, input: string[], recorded: RecordedEmbedCall[], source: string): WasmForgeError {
  const closest = recorded.find((r) => sameModel(r.request.model, model)) ?? recorded[0];
  const difference = closest
    ? (sameModel(closest.request.model, model) ? textDifference('input', JSON.stringify(closest.request.input), JSON.stringify(input)) : modelDifference(closest.request.model, model))
    : undefined;
  const first = input[0]?.slice(0, 60) ?? '';
  const what = `AI call #${call} (embeddings from ${model} of ${quote(first, false)}${input.length > 1 ? ` and ${input.length - 1} more` : ''})`;
  return missError(what, source, { call, model, field: null, ...difference }, recorded.length === 0);
}

function missError(what: string, source: string, details: MissDetails, nothingRecorded: boolean): WasmForgeError {
  return new WasmForgeError('REPLAY_MISS', `No recorded answer for ${what} in ${source}: ${whyMissed(details, nothingRecorded)}`, {
    hint: nothingRecorded ? NO_ANSWERS_YET : 'Record it against Ollama with `wasmforge run <plugin> --record <file>`, or add the answer to the test case',
    details,
  });
}

function whyMissed(details: MissDetails, nothingRecorded: boolean): string {
  if (nothingRecorded) return 'it holds no answers of this kind yet';
  if (details.field === null) return 'nothing like it was recorded';
  return `its ${details.field} differs from the recorded call's: recorded ${quote(details.recorded ?? '', false)}, got ${quote(details.actual ?? '', false)}`;
}

/** Without Ollama, recording is no way out: writing the answer by hand is (a trial found no other). */
const NO_ANSWERS_YET = 'Record answers once Ollama runs (a run kept with Save as test case, or `wasmforge run <plugin> --record <file>`), '
  + 'or write one by hand: a case file in the plugin\'s tests/ folder with "ai": [{ "model": …, "prompt": …, "response": … }] '
  + '(`wasmforge test --help` shows the format)';

/** The first of model, system, prompt, chat turns and images that is not as recorded. */
function firstDifference(actual: AiGenerateRequest, recorded: RecordedGenerateCall['request']): Partial<MissDetails> | undefined {
  if (!sameModel(actual.model, recorded.model)) return modelDifference(recorded.model, actual.model);
  const fields: Array<[Field, unknown, unknown]> = [
    ['system', recorded.system ?? '', actual.system ?? ''],
    ['prompt', recorded.prompt ?? '', actual.prompt ?? ''],
    ['messages', recorded.messages ?? [], actual.messages?.map(({ role, content }) => ({ role, content })) ?? []],
    ['images', recorded.images?.length ?? 0, actual.images?.length ?? 0],
  ];
  for (const [field, was, is] of fields) {
    const [a, b] = [text(was, field), text(is, field)];
    if (a !== b) return textDifference(field, a, b);
  }
  // Same words: the images' content (recorded as digests) is what differs.
  return { field: 'images', recorded: 'other image content', actual: 'these images' };
}

function text(value: unknown, field: Field): string {
  if (field === 'messages') return JSON.stringify((value as Array<{ role: string; content: string }>).map(({ role, content }) => ({ role, content })));
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function modelDifference(recorded: string, actual: string): Partial<MissDetails> {
  return { field: 'model', recorded, actual };
}

/** Both texts from a little before their first differing character. */
export function textDifference(field: Field, recorded: string, actual: string): Partial<MissDetails> {
  let at = 0;
  while (at < recorded.length && at < actual.length && recorded[at] === actual[at]) at += 1;
  const from = Math.max(0, at - 20);
  const cut = (value: string) => `${from > 0 ? '…' : ''}${value.slice(from, from + SNIPPET)}${value.length > from + SNIPPET ? '…' : ''}`;
  return { field, recorded: cut(recorded), actual: cut(actual) };
}

function sameModel(a: string, b: string): boolean {
  return normalizeModelName(a) === normalizeModelName(b);
}

function quote(value: string, cut: boolean): string {
  return `"${value}${cut ? '…' : ''}"`;
}
