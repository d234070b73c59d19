import type { z } from 'zod';
import type { ErrorInfo } from '../errors.ts';
import type { StreamRoute } from './route.ts';
import type { ApiRoutes } from './routes.ts';

export type RouteName = keyof ApiRoutes;
export type StreamRouteName = { [K in RouteName]: ApiRoutes[K] extends StreamRoute ? K : never }[RouteName];
export type CallRouteName = Exclude<RouteName, StreamRouteName>;

/** What a caller passes (defaults may be left out). */
export type RouteInput<R extends RouteName> = z.input<ApiRoutes[R]['input']>;
/** What a handler receives (after validation and defaults). */
export type ParsedInput<R extends RouteName> = z.output<ApiRoutes[R]['input']>;
export type RouteOutput<R extends RouteName> = z.output<ApiRoutes[R]['output']>;
export type RouteEvent<R extends StreamRouteName> = z.output<ApiRoutes[R]['event']>;

/** Every reply, on every transport: errors keep their code (Electron would drop it from a thrown Error). */
export type Envelope<T = unknown> = { ok: true; data: T } | { ok: false; error: ErrorInfo };

export interface CallOptions {
  signal?: AbortSignal;
}
export interface StreamOptions<E> extends CallOptions {
  onEvent: (event: E) => void;
}

/** The typed API as the UI, the CLI and the tests use it, whatever carries it. */
export interface ApiClient {
  call<R extends CallRouteName>(route: R, input: RouteInput<R>, options?: CallOptions): Promise<RouteOutput<R>>;
  stream<R extends StreamRouteName>(route: R, input: RouteInput<R>, options: StreamOptions<RouteEvent<R>>): Promise<RouteOutput<R>>;
}

export interface HandlerContext<E = never> {
  signal: AbortSignal;
  emit: (event: E) => void;
}

/** One function per route: a route without a handler (or a handler of the wrong shape) does not compile. */
export type ApiHandlers = {
  [R in RouteName]: (
    input: ParsedInput<R>,
    context: HandlerContext<R extends StreamRouteName ? RouteEvent<R> : never>,
  ) => Promise<RouteOutput<R>>;
};

/** What the transports (IPC router, HTTP server) hand requests to: untyped in, envelope out. */
export interface Dispatcher {
  isRoute(name: string): boolean;
  isStream(name: string): boolean;
  dispatch(route: string, input: unknown, context: { signal: AbortSignal; emit: (event: unknown) => void }): Promise<Envelope>;
}
