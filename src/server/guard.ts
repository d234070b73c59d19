import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts';

/** Compares hashes so that neither the length nor the content of the token leaks through timing. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}

/** 0.0.0.0 and :: bind every interface: no browser can open them as an address. */
export function isAnyAddress(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** A server on loopback answers only to loopback names: a DNS-rebinding page has its own name in Host. */
export function hostProblem(request: IncomingMessage, bound: { host: string; port: number }): string | undefined {
  const hostHeader = request.headers.host ?? '';
  if (!isLoopback(bound.host)) return undefined;
  const allowed = [...LOOPBACK_HOSTS].map((name) => `${name}:${bound.port}`);
  return allowed.includes(hostHeader) ? undefined : `Host "${hostHeader.slice(0, 100)}" is not this server`;
}

/** API calls come from our own page or from no browser page at all: CORS stays closed. */
export function originProblem(request: IncomingMessage): string | undefined {
  const hostHeader = request.headers.host ?? '';
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${hostHeader}`) return 'Cross-origin requests are not allowed';
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'Cross-site requests are not allowed';
  return undefined;
}

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
