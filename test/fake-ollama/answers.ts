import { createHash } from 'node:crypto';
import { z } from 'zod';

/** What the responder sees of a /api/generate or /api/chat request. */
export interface FakeAiRequest {
  endpoint: 'generate' | 'chat';
  model: string;
  prompt: string;
  system?: string;
  messages?: Array<{ role: string; content: string; images?: string[] }>;
  images?: string[];
  format?: unknown;
  options: Record<string, unknown>;
}

export type FakeResponder = (request: FakeAiRequest) => string;

const optionsSchema = z.record(z.string(), z.unknown()).default({});
const messageSchema = z.object({ role: z.string(), content: z.string().default(''), images: z.array(z.string()).optional() });

export const generateBodySchema = z.object({
  model: z.string().min(1, 'model is required'),
  prompt: z.string().optional(),
  system: z.string().optional(),
  images: z.array(z.string()).optional(),
  format: z.unknown().optional(),
  stream: z.boolean().optional(),
  options: optionsSchema,
});

export const chatBodySchema = z.object({
  model: z.string().min(1, 'model is required'),
  messages: z.array(messageSchema).default([]),
  format: z.unknown().optional(),
  stream: z.boolean().optional(),
  options: optionsSchema,
});

export const embedBodySchema = z.object({
  model: z.string().min(1, 'model is required'),
  // No input only loads the model.
  input: z.union([z.string(), z.array(z.string())]).optional(),
});

/** Deterministic default: names the model and echoes the last thing the user said. */
export const defaultResponder: FakeResponder = (request) => {
  const said = request.endpoint === 'chat' ? request.messages?.at(-1)?.content ?? '' : request.prompt;
  if (request.format === 'json') return JSON.stringify({ model: request.model, echo: said });
  return `Answer from ${request.model}: ${said}`;
};

/** Splits an answer into token-sized pieces the way a model streams them (word plus its spacing). */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+/gu) ?? [];
}

export function countTokens(text: string): number {
  return text.trim() === '' ? 0 : text.trim().split(/\s+/u).length;
}

/** A stable pseudo-embedding: the same text always gives the same unit vector. */
export function embeddingOf(text: string, dimensions = 8): number[] {
  const digest = createHash('sha256').update(text).digest();
  const raw = Array.from({ length: dimensions }, (_, i) => (digest[i]! - 127.5) / 127.5);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Number((value / norm).toFixed(6)));
}

export interface FinalStats {
  done: true;
  done_reason: string;
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
}

export function finalStats(promptTokens: number, evalTokens: number, startedAt: bigint, doneReason: string): FinalStats {
  const total = Number(process.hrtime.bigint() - startedAt);
  return {
    done: true,
    done_reason: doneReason,
    total_duration: total,
    load_duration: Math.min(1_000_000, total),
    prompt_eval_count: promptTokens,
    prompt_eval_duration: Math.floor(total / 4),
    eval_count: evalTokens,
    eval_duration: Math.floor(total / 2),
  };
}
