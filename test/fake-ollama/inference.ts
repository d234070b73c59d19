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
  const spec = await admit(ctx, body.model, 'completion', Boolean(body.images?.length));
  if (!spec) return;
  const createdAt = new Date().toISOString();
  if (body.prompt === undefined) {
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
  const spec = await admit(ctx, body.model, 'completion', body.messages.some((m) => m.images?.length));
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
  if (!(await admit(ctx, body.model, 'embedding', false))) return;
  const started = process.hrtime.bigint();
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
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
async function admit(ctx: RequestContext, model: string, capability: string, withImages: boolean): Promise<FakeModelSpec | undefined> {
  const spec = ctx.server.catalog.find(model);
  if (!spec) {
    sendError(ctx.res, 404, `model "${model}" not found, try pulling it first`);
    return undefined;
  }
  const capabilities = spec.capabilities ?? ['completion'];
  if (!capabilities.includes(capability)) {
    sendError(ctx.res, 400, `"${model}" does not support ${capability === 'embedding' ? 'embeddings' : 'generate'}`);
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
  if (plan.stream) {
    ctx.res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    ctx.res.flushHeaders();
  }
  for (let i = 0; i <= tokens.length; i++) {
    if (faults.disconnectAfterTokens === i) {
      // Let what was written reach the client first: this is a drop in the middle of the answer.
      ctx.res.socket?.destroySoon();
      return;
    }
    if (faults.errorAfterTokens?.tokens === i) {
      if (!plan.stream) return sendError(ctx.res, 500, faults.errorAfterTokens.message);
      ctx.res.end(JSON.stringify({ error: faults.errorAfterTokens.message }) + '\n');
      return;
    }
    if (i === tokens.length) break;
    if (faults.tokenLatencyMs) await sleep(faults.tokenLatencyMs, undefined, { signal: ctx.signal });
    if (plan.stream) ctx.res.write(JSON.stringify(plan.chunk(tokens[i]!)) + '\n');
  }
  const final = plan.final(finalStats(plan.promptTokens, tokens.length, started, limited ? 'length' : 'stop'), tokens.join(''));
  if (plan.stream) ctx.res.end(JSON.stringify(final) + '\n');
  else sendJson(ctx.res, 200, final);
}
