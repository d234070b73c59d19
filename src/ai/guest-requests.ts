import { z } from 'zod';
import { toErrorInfo, WasmForgeError, type ErrorCode } from '../shared/errors.ts';
import type { AiSession } from './broker.ts';
import { embedRequestSchema, generateRequestSchema, MAX_BATCH } from './requests.ts';

/**
 * The guest's AI requests beyond a plain call, all carried by `ai` frames (one request, one reply):
 *   {stream: true, ...call}  → {stream: id}            start a call the plugin iterates
 *   {next: id}               → {text, done}            what arrived since the last read
 *   {many: [call, ...]}      → {results: [{text} | {error: {code, message}}]}
 *   {embed: {model, input}}  → {embeddings: [[...]]}
 * Every payload is hostile until zod says otherwise.
 */
export interface GuestReply {
  kind: 'ai_ok' | 'ai_err';
  value: unknown;
}

const nextSchema = z.object({ next: z.number().int().positive() }).strict();
const manySchema = z.object({ many: z.array(z.unknown()).min(1).max(MAX_BATCH) }).strict();
const embedSchema = z.object({ embed: embedRequestSchema }).strict();

const EXTENDED_KEYS = ['stream', 'next', 'many', 'embed'] as const;

/** True when the payload is one of the forms above rather than a plain call. */
export function isExtendedAiRequest(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && EXTENDED_KEYS.some((key) => key in payload);
}

export async function handleExtendedAiRequest(
  session: AiSession,
  payload: unknown,
  onError: (code: ErrorCode) => void,
): Promise<GuestReply> {
  try {
    return { kind: 'ai_ok', value: await dispatch(session, payload as Record<string, unknown>, onError) };
  } catch (error) {
    const { code, message } = toErrorInfo(error);
    onError(code);
    return { kind: 'ai_err', value: { code, message } };
  }
}

async function dispatch(session: AiSession, payload: Record<string, unknown>, onError: (code: ErrorCode) => void): Promise<unknown> {
  if ('stream' in payload) {
    const { stream, ...call } = payload;
    if (stream !== true) throw invalid('"stream" must be true');
    return { stream: session.openStream(parse(generateRequestSchema, call)) };
  }
  if ('next' in payload) return session.readStream(parse(nextSchema, payload).next);
  if ('many' in payload) {
    const requests = parse(manySchema, payload).many.map((call, i) => parse(generateRequestSchema, call, `call ${i + 1}: `));
    const outcomes = await session.callMany(requests);
    return {
      results: outcomes.map((outcome) => {
        if (outcome.ok) return { text: outcome.text };
        onError(outcome.error.code);
        return { error: { code: outcome.error.code, message: outcome.error.message } };
      }),
    };
  }
  const { embed } = parse(embedSchema, payload);
  return { embeddings: await session.embed(embed.model, embed.input) };
}

function parse<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(`${prefix}${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function invalid(message: string): WasmForgeError {
  return new WasmForgeError('AI_ERROR', `Invalid AI request: ${message}`);
}
