import type { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  chatBodySchema, countTokens, embedBodySchema, embeddingOf, finalStats, generateBodySchema, tokenize, type FinalStats,
} from './answers.ts';
import type { FakeModelSpec } from './catalog.ts';
import { sendError, sendJson, type RequestContext } from './http.ts';

interface AnswerPlan {
  stream: boolean;
  tokens: string[];
  promptTokens: number;
  numPredict?: number;
  chunk(piece: string): object;
  final(stats: FinalStats, full: string): object;
}

export async function handleGenerate(ctx: RequestContext): Promise<void> {
  const body = parse(ctx, generateBodySchema);
  if (!body) return;
  const spec = await admit(ctx, body.model, 'generate', Boolean(body.images?.length));
  if (!spec) return;
  const createdAt = new Date().toISOString();
  // An empty prompt only loads the model (and is answered as one object even when streaming).
  if (!body.prompt) {
    return sendJson(ctx.res, 200, { model: body.model, created_at: createdAt, response: '', done: true, done_reason: 'load' });
  }
  const prompt = body.prompt;
  const text = ctx.server.responder({
    endpoint: 'generate', model: body.model, prompt, system: body.system, images: body.images, format: body.format, options: body.options,
  });
  const stream = body.stream ?? true;
  await answer(ctx, {
    stream,
    tokens: tokenize(text),
    promptTokens: countTokens(`${body.system ?? ''} ${prompt}`),
    numPredict: numPredictOf(body.options),
    chunk: (piece) => ({ model: body.model, created_at: new Date().toISOString(), response: piece, done: false }),
    final: (stats, full) => ({ model: body.model, created_at: new Date().toISOString(), response: stream ? '' : full, ...stats, context: [1, 2, 3] }),
  });
}

export async function handleChat(ctx: RequestContext): Promise<void> {
  const body = parse(ctx, chatBodySchema);
  if (!body) return;
  const spec = await admit(ctx, body.model, 'chat', body.messages.some((m) => m.images?.length));
  if (!spec) return;
  if (body.messages.length === 0) {
    const message = { role: 'assistant', content: '' };
    return sendJson(ctx.res, 200, { model: body.model, created_at: new Date().toISOString(), message, done_reason: 'load', done: true });
  }
  const text = ctx.server.responder({
    endpoint: 'chat', model: body.model, prompt: body.messages.at(-1)?.content ?? '', messages: body.messages,
    format: body.format, options: body.options,
  });
  const stream = body.stream ?? true;
  const message = (content: string) => ({ role: 'assistant', content });
  await answer(ctx, {
    stream,
    tokens: tokenize(text),
    promptTokens: countTokens(body.messages.map((m) => m.content).join(' ')),
    numPredict: numPredictOf(body.options),
    chunk: (piece) => ({ model: body.model, created_at: new Date().toISOString(), message: message(piece), done: false }),
    final: (stats, full) => ({ model: body.model, created_at: new Date().toISOString(), message: message(stream ? '' : full), ...stats }),
  });
}

export async function handleEmbed(ctx: RequestContext): Promise<void> {
  const body = parse(ctx, embedBodySchema);
  if (!body) return;
  const spec = await admit(ctx, body.model, 'embed', false);
  if (!spec) return;
  const started = process.hrtime.bigint();
  const inputs = typeof body.input === 'string' ? [body.input].filter(Boolean) : body.input ?? [];
  if (inputs.length === 0) return sendJson(ctx.res, 200, { model: body.model, embeddings: [] });
  // Ollama does not check this capability up front: the model's runner refuses the work.
  if (!(spec.capabilities ?? ['completion']).includes('embedding')) return sendError(ctx.res, 501, 'this model does not support embeddings');
  const total = Number(process.hrtime.bigint() - started);
  sendJson(ctx.res, 200, {
    model: body.model,
    embeddings: inputs.map((text) => embeddingOf(text)),
    total_duration: total,
    load_duration: 0,
    prompt_eval_count: inputs.reduce((sum, text) => sum + countTokens(text), 0),
  });
}

function parse<T extends z.ZodType>(ctx: RequestContext, schema: T): z.infer<T> | undefined {
  const parsed = schema.safeParse(ctx.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  sendError(ctx.res, 400, issue?.message === 'model is required' ? 'model is required' : `invalid request: ${issue?.message ?? 'bad body'}`);
  return undefined;
}

/** The checks Ollama makes before it runs a model, with its status codes and messages. */
async function admit(ctx: RequestContext, model: string, endpoint: 'generate' | 'chat' | 'embed', withImages: boolean): Promise<FakeModelSpec | undefined> {
  const spec = ctx.server.catalog.find(model);
  if (!spec) {
    sendError(ctx.res, 404, `model '${model}' not found`);
    return undefined;
  }
  const capabilities = spec.capabilities ?? ['completion'];
  if (endpoint !== 'embed' && !capabilities.includes('completion')) {
    sendError(ctx.res, 400, `"${model}" does not support ${endpoint}`);
    return undefined;
  }
  if (withImages && !capabilities.includes('vision')) {
    sendError(ctx.res, 500, 'this model is missing data required for image input');
    return undefined;
  }
  if (await ctx.server.injectInferenceFault(ctx)) return undefined;
  ctx.server.catalog.markLoaded(model);
  return spec;
}

function numPredictOf(options: Record<string, unknown>): number | undefined {
  const value = options.num_predict;
  return typeof value === 'number' && value >= 0 ? value : undefined;
}

/** Writes the answer token by token (NDJSON) or as one object, honouring the mid-answer faults. */
async function answer(ctx: RequestContext, plan: AnswerPlan): Promise<void> {
  const started = process.hrtime.bigint();
  const { faults } = ctx.server;
  const limited = plan.numPredict !== undefined && plan.tokens.length > plan.numPredict;
  const tokens = limited ? plan.tokens.slice(0, plan.numPredict) : plan.tokens;
  // Like gin, the status line goes out with the first line of the stream, so an error before
  // any token still gets its own status and a JSON body.
  const line = (value: object, last = false) => {
    if (!ctx.res.headersSent) ctx.res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    ctx.res[last ? 'end' : 'write'](JSON.stringify(value) + '\n');
  };
  for (let i = 0; i <= tokens.length; i++) {
    if (faults.disconnectAfterTokens === i) {
      // Let what was written reach the client first: this is a drop in the middle of the answer.
      ctx.res.socket?.destroySoon();
      return;
    }
    if (faults.errorAfterTokens?.tokens === i) {
      const { message } = faults.errorAfterTokens;
      return plan.stream && ctx.res.headersSent ? line({ error: message }, true) : sendError(ctx.res, 500, message);
    }
    if (i === tokens.length) break;
    if (faults.tokenLatencyMs) await sleep(faults.tokenLatencyMs, undefined, { signal: ctx.signal });
    if (plan.stream) line(plan.chunk(tokens[i]!));
  }
  const final = plan.final(finalStats(plan.promptTokens, tokens.length, started, limited ? 'length' : 'stop'), tokens.join(''));
  if (plan.stream) line(final, true);
  else sendJson(ctx.res, 200, final);
}
