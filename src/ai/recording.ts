import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { fileReadError, WasmForgeError } from '../shared/errors.ts';
import type { AiGenerateRequest } from './provider.ts';
import { normalizeModelName } from './requests.ts';

/**
 * A file of AI calls and their answers (`wasmforge run --record F`), replayed offline by
 * ReplayProvider. Images are kept as digests: a recording matches them without carrying them.
 */
export const RECORDING_FORMAT = 'wasmforge-ai-recording';

const messageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  images: z.array(z.string()).optional(),
});

export const recordedRequestSchema = z.object({
  model: z.string().min(1),
  prompt: z.string().optional(),
  messages: z.array(messageSchema).optional(),
  system: z.string().optional(),
  temperature: z.number().optional(),
  maxTokens: z.number().optional(),
  json: z.boolean().optional(),
  images: z.array(z.string()).optional(),
});

const generateCallSchema = z.object({
  kind: z.literal('generate'),
  request: recordedRequestSchema,
  response: z.object({
    text: z.string(),
    promptTokens: z.number().int().nonnegative().optional(),
    responseTokens: z.number().int().nonnegative().optional(),
    doneReason: z.string().optional(),
  }),
});

const embedCallSchema = z.object({
  kind: z.literal('embed'),
  request: z.object({ model: z.string().min(1), input: z.array(z.string()) }),
  response: z.object({ embeddings: z.array(z.array(z.number())), promptTokens: z.number().int().nonnegative().optional() }),
});

export const recordedCallSchema = z.discriminatedUnion('kind', [generateCallSchema, embedCallSchema]);

export const recordingSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  version: z.literal(1),
  /** Models that were installed when recorded: what list_models() sees on replay. */
  models: z.array(z.string()).default([]),
  calls: z.array(recordedCallSchema),
});

export type RecordedCall = z.infer<typeof recordedCallSchema>;
export type RecordedGenerateCall = z.infer<typeof generateCallSchema>;
export type RecordedEmbedCall = z.infer<typeof embedCallSchema>;
export type Recording = z.infer<typeof recordingSchema>;

export function emptyRecording(): Recording {
  return { format: RECORDING_FORMAT, version: 1, models: [], calls: [] };
}

export async function loadRecording(path: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fileReadError(error, path, 'recording');
  }
  return parseRecording(text, path);
}

export function parseRecording(text: string, where: string): Recording {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new WasmForgeError('BAD_INPUT', `${where} is not JSON: ${(error as Error).message}`);
  }
  const parsed = recordingSchema.safeParse(data);
  if (!parsed.success) throw new WasmForgeError('BAD_INPUT', `${where} is not a WasmForge AI recording:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The text of a recording file (`wasmforge run --record F` writes it; loadRecording and parseRecording read it). */
export function formatRecording(recording: Recording): string {
  return `${JSON.stringify(recordingSchema.parse(recording), null, 2)}\n`;
}

/** The request as stored: images replaced by their digests. */
export function requestForRecording(request: AiGenerateRequest): AiGenerateRequest {
  const digests = (images?: string[]) => images?.map(imageDigest);
  return {
    ...request,
    ...(request.images ? { images: digests(request.images) } : {}),
    ...(request.messages ? { messages: request.messages.map((m) => (m.images ? { ...m, images: digests(m.images) } : m)) } : {}),
  };
}

/**
 * Which recorded answer a call gets: same model, system, prompt or chat turns, and images.
 * Sampling options (temperature, max_tokens, json) are left out: they shape an answer, they do
 * not choose which one a test expects, and the broker's token cap changes max_tokens anyway.
 */
export function matchKey(request: AiGenerateRequest): string {
  const digest = (image: string) => (image.startsWith('sha256:') ? image : imageDigest(image));
  return JSON.stringify([
    normalizeModelName(request.model),
    request.system ?? null,
    request.prompt ?? null,
    request.messages?.map((m) => [m.role, m.content, (m.images ?? []).map(digest)]) ?? null,
    (request.images ?? []).map(digest),
  ]);
}

export function embedKey(model: string, input: string[]): string {
  return JSON.stringify([normalizeModelName(model), input]);
}

function imageDigest(image: string): string {
  return image.startsWith('sha256:') ? image : `sha256:${createHash('sha256').update(image).digest('hex')}`;
}
