import { createServer } from 'node:net';
import { expect } from 'vitest';
import { WasmForgeError } from '../../src/shared/errors.ts';

/** The typed error a promise rejects with (the test fails if it resolves or throws something else). */
export async function failureOf(promise: Promise<unknown>): Promise<WasmForgeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WasmForgeError);
  return error as WasmForgeError;
}

/** A local port on which nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
