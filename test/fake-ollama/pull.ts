import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { digestOf, normalizeModelName } from './catalog.ts';
import { sendError, sendJson, type RequestContext } from './http.ts';

// The client sends `name` (the older field) while the docs say `model`: Ollama accepts both.
const modelBodySchema = z.object({
  model: z.string().optional(),
  name: z.string().optional(),
  stream: z.boolean().optional(),
}).transform((body) => ({ model: body.model ?? body.name ?? '', stream: body.stream ?? true }));

const PROGRESS_STEPS = 4;

/** POST /api/pull: "pulling manifest", per-layer progress, "verifying sha256 digest", "writing manifest", "success". */
export async function handlePull(ctx: RequestContext): Promise<void> {
  const body = modelBodySchema.safeParse(ctx.body ?? {});
  if (!body.success || !body.data.model) return sendError(ctx.res, 400, 'invalid model name');
  const { model, stream } = body.data;
  const spec = ctx.server.catalog.findPullable(model);
  const missing = 'pull model manifest: file does not exist';
  if (!stream) {
    if (!spec) return sendError(ctx.res, 500, missing);
    ctx.server.catalog.install(spec);
    return sendJson(ctx.res, 200, { status: 'success' });
  }
  ctx.res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (value: object) => ctx.res.write(JSON.stringify(value) + '\n');
  line({ status: 'pulling manifest' });
  if (!spec) {
    ctx.res.end(JSON.stringify({ error: missing }) + '\n');
    return;
  }
  const name = normalizeModelName(spec.name);
  const layers = [
    { digest: `sha256:${digestOf(`${name}/model`)}`, total: spec.size ?? 1_000_000_000 },
    { digest: `sha256:${digestOf(`${name}/params`)}`, total: 567 },
  ];
  for (const layer of layers) {
    for (let step = 0; step <= PROGRESS_STEPS; step++) {
      if (ctx.server.faults.tokenLatencyMs) await sleep(ctx.server.faults.tokenLatencyMs, undefined, { signal: ctx.signal });
      const completed = Math.floor((layer.total * step) / PROGRESS_STEPS);
      line({ status: `pulling ${layer.digest.slice(7, 19)}`, digest: layer.digest, total: layer.total, ...(step ? { completed } : {}) });
    }
  }
  line({ status: 'verifying sha256 digest' });
  line({ status: 'writing manifest' });
  ctx.server.catalog.install(spec);
  ctx.res.end(JSON.stringify({ status: 'success' }) + '\n');
}

/** DELETE /api/delete: 200 with an empty body, or 404 when there is no such model. */
export function handleDelete(ctx: RequestContext): void {
  const body = modelBodySchema.safeParse(ctx.body ?? {});
  if (!body.success || !body.data.model) return sendError(ctx.res, 400, `name "${body.data?.model ?? ''}" is invalid`);
  if (!ctx.server.catalog.remove(body.data.model)) return sendError(ctx.res, 404, `model '${body.data.model}' not found`);
  ctx.res.writeHead(200, { 'content-length': 0 }).end();
}
