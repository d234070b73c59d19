import { z } from 'zod';
import { toErrorInfo, WasmForgeError, type ErrorInfo } from '../shared/errors.ts';
import type { AnyRoute } from '../shared/api/route.ts';
import { typedRefusalOf } from '../shared/api/typed-refusal.ts';
import type { ApiHandlers, Dispatcher, Envelope } from '../shared/api/types.ts';

export interface DispatcherOptions {
  /** Told about failures that are bugs (INTERNAL), never about the user's own errors. */
  onInternalError?: (route: string, error: unknown) => void;
}

type LooseHandler = (input: unknown, context: { signal: AbortSignal; emit: (event: unknown) => void }) => Promise<unknown>;

/**
 * The one place where a request meets the contract: unknown routes and invalid inputs are
 * refused with BAD_INPUT (or the typed error a schema names) before any handler runs, every error
 * leaves as `{code, message}`, and outputs are checked too, so nothing the contract does not name
 * reaches a client.
 */
export function createDispatcher(routes: Record<string, AnyRoute>, handlers: ApiHandlers, options: DispatcherOptions = {}): Dispatcher {
  const lookup = (name: string): AnyRoute | undefined => (Object.hasOwn(routes, name) ? routes[name] : undefined);

  async function dispatch(name: string, rawInput: unknown, context: { signal: AbortSignal; emit: (event: unknown) => void }): Promise<Envelope> {
    const route = lookup(name);
    if (!route) return failure({ code: 'BAD_INPUT', message: `Unknown API route "${String(name).slice(0, 100)}"` });
    const parsed = route.input.safeParse(rawInput ?? {});
    if (!parsed.success) return failure(typedRefusalOf(parsed.error) ?? { code: 'BAD_INPUT', message: `Invalid input for ${name}: ${z.prettifyError(parsed.error)}` });
    try {
      const handler = (handlers as unknown as Record<string, LooseHandler>)[name]!;
      const events = checkedEmit(name, route, context.emit);
      const data = await handler(parsed.data, { signal: context.signal, emit: events.emit });
      events.assertClean();
      const checked = route.output.safeParse(data);
      if (!checked.success) throw new Error(`The ${name} handler returned data outside the contract: ${z.prettifyError(checked.error)}`);
      return { ok: true, data: checked.data };
    } catch (error) {
      if (!(error instanceof WasmForgeError)) options.onInternalError?.(name, error);
      return failure(toErrorInfo(error));
    }
  }

  return {
    isRoute: (name) => lookup(name) !== undefined,
    isStream: (name) => lookup(name)?.kind === 'stream',
    dispatch,
  };
}

/**
 * Events are held to the contract as outputs are: one outside it is never sent, and the call then
 * fails as a bug (INTERNAL) once the handler is done, not in the middle of the sandbox's callback.
 */
function checkedEmit(name: string, route: AnyRoute, emit: (event: unknown) => void) {
  let problem: string | undefined;
  return {
    emit: (event: unknown): void => {
      if (route.kind !== 'stream' || problem) return;
      const checked = route.event.safeParse(event);
      if (checked.success) emit(checked.data);
      else problem = z.prettifyError(checked.error);
    },
    assertClean: (): void => {
      if (problem) throw new Error(`The ${name} handler emitted an event outside the contract: ${problem}`);
    },
  };
}

function failure(error: ErrorInfo): Envelope {
  return { ok: false, error };
}
