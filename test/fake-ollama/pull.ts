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

/** How Go's HTTP client fails to reach registry.ollama.ai from a machine without internet. */
export type RegistryFailure = 'dns' | 'no-route';

const NETWORK_ERRORS: Record<RegistryFailure, string> = {
  dns: 'dial tcp: lookup registry.ollama.ai on 127.0.0.53:53: server misbehaving',
  'no-route': 'dial tcp 104.21.75.227:443: connect: network is unreachable',
};

/**
 * Ollama's words for a pull that cannot fetch the manifest: `Get "<manifest URL>": <network error>`
 * wrapped in "pull model manifest: " (server/images.go), the name parsed as Ollama parses it.
 */
export function offlinePullError(model: string, failure: RegistryFailure): string {
  const [path = model, tag = 'latest'] = model.split(':');
  const repository = path.includes('/') ? path : `library/${path}`;
  return `pull model manifest: Get "https://registry.ollama.ai/v2/${repository}/manifests/${tag}": ${NETWORK_ERRORS[failure]}`;
}

/** POST /api/pull: "pulling manifest", per-layer progress, "verifying sha256 digest", "writing manifest", "success". */
export async function handlePull(ctx: RequestContext): Promise<void> {
  const body = modelBodySchema.safeParse(ctx.body ?? {});
  if (!body.success || !body.data.model) return sendError(ctx.res, 400, 'invalid model name');
  const { model, stream } = body.data;
  const offline = ctx.server.faults.registryOffline;
  const spec = offline ? undefined : ctx.server.catalog.findPullable(model);
  const missing = offline ? offlinePullError(model, offline) : 'pull model manifest: file does not exist';
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
