import { expect } from 'vitest';

/**
 * What a user sees settles a moment after an action (data loads, optimistic toggles, saves), so
 * UI assertions read again until they hold, like a user glancing twice, instead of racing the page.
 */
export function eventually<T>(read: () => Promise<T> | T): ReturnType<typeof expect.poll<T>> {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}
