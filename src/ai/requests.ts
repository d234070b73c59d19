import { z } from 'zod';
import { WasmForgeError } from '../shared/errors.ts';
import type { AiGenerateRequest } from './provider.ts';

/**
 * Validation of what a plugin asks for. Payloads come from the guest and are hostile: sizes are
 * bounded before anything is looked at, and the session checks the policy on top of the shape.
 */
export const MAX_MESSAGES = 200;
export const MAX_IMAGES = 8;
export const MAX_EMBED_INPUTS = 256;
export const MAX_BATCH = 100;

const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  images: z.array(z.string()).max(MAX_IMAGES).optional(),
}).strict();

export const generateRequestSchema = z.object({
  model: z.string().min(1).max(200),
  prompt: z.string().optional(),
  messages: z.array(chatMessageSchema).min(1).max(MAX_MESSAGES).optional(),
  system: z.string().optional(),
  temperature: z.number().min(0).max(10).optional(),
  maxTokens: z.number().int().positive().optional(),
  json: z.boolean().optional(),
  images: z.array(z.string()).max(MAX_IMAGES).optional(),
}).strict().refine((r) => r.prompt !== undefined || r.messages !== undefined, 'give a prompt or messages');

export const embedRequestSchema = z.object({
  model: z.string().min(1).max(200),
  input: z.union([z.string(), z.array(z.string()).min(1).max(MAX_EMBED_INPUTS)]),
}).strict();

/** Ollama reads a name without a tag as `<name>:latest`; so does the allow-list check. */
export function normalizeModelName(name: string): string {
  const trimmed = name.trim();
  return trimmed.includes(':') ? trimmed : `${trimmed}:latest`;
}

/** Every character the model will read as instructions, system prompt included. */
export function promptText(request: AiGenerateRequest): string {
  const parts = [request.system, request.prompt, ...(request.messages ?? []).map((m) => m.content)];
  return parts.filter((part): part is string => part !== undefined).join('\n');
}

/** The prompt as it is shown in a run's records: chat turns one per line. */
export function promptForRecord(request: AiGenerateRequest): string {
  if (!request.messages) return request.prompt ?? '';
  return request.messages.map((m) => `${m.role}: ${m.content}`).join('\n');
}

export function allImages(request: AiGenerateRequest): string[] {
  return [...(request.images ?? []), ...(request.messages ?? []).flatMap((m) => m.images ?? [])];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:image\/[a-z0-9.+-]+;base64,/i;

/** Checks images are base64 and within the size cap; returns the request with bare base64 images. */
export function checkImages(request: AiGenerateRequest, maxBytes: number): AiGenerateRequest {
  const images = allImages(request);
  if (images.length === 0) return request;
  if (images.length > MAX_IMAGES) throw new WasmForgeError('AI_ERROR', `At most ${MAX_IMAGES} images per call`);
  let total = 0;
  const clean = (image: string, index: number): string => {
    const bare = image.replace(DATA_URL, '').replace(/\s+/g, '');
    if (bare.length === 0 || bare.length % 4 !== 0 || !BASE64.test(bare)) {
      throw new WasmForgeError('AI_ERROR', `Image ${index + 1} is not base64 data (pass the image's bytes, or base64 text)`);
    }
    total += (bare.length / 4) * 3 - (bare.endsWith('==') ? 2 : bare.endsWith('=') ? 1 : 0);
    return bare;
  };
  let index = 0;
  const result: AiGenerateRequest = {
    ...request,
    ...(request.images ? { images: request.images.map((image) => clean(image, index++)) } : {}),
    ...(request.messages ? { messages: request.messages.map((m) => (m.images ? { ...m, images: m.images.map((image) => clean(image, index++)) } : m)) } : {}),
  };
  if (total > maxBytes) {
    throw new WasmForgeError('PROMPT_TOO_LONG', `The images add up to ${formatMiB(total)}; the limit is ${formatMiB(maxBytes)} per call`);
  }
  return result;
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Rough token count for budgets when a provider does not report one (about 4 characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * AI_TOKEN_LIMIT for a call that leaves no room for an answer: what the run used, what this call's
 * prompt would add, and where the limit is raised ("used 0 of its 2" alone did not say why).
 */
export function tokenLimitError(used: number, budget: number, promptTokens: number): WasmForgeError {
  const message = used === 0
    ? `This call's prompt alone is about ${promptTokens} AI tokens; this run may use ${budget} in all (prompts and answers)`
    : used >= budget
      ? `This run has used ${used} of its ${budget} AI tokens`
      : `This run has used ${used} of its ${budget} AI tokens; this call's prompt is about ${promptTokens} more, leaving none for its answer`;
  return new WasmForgeError('AI_TOKEN_LIMIT', message, {
    hint: 'Raise "AI tokens per run" in Settings › Sandbox, or the plugin\'s own "aiTokens" under "limits" in plugin.json if it sets one lower',
  });
}
