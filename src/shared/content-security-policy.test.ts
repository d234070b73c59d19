import type { IndexHtmlTransformHook } from 'vite';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicyMeta } from '../../electron.vite.config.ts';
import { SECURITY_HEADERS } from '../server/guard.ts';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META, devServerPolicy } from './content-security-policy.ts';

describe('the Content-Security-Policy', () => {
  it('is the one the HTTP server sends', () => {
    expect(SECURITY_HEADERS['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('goes into index.html at build time, less what a meta tag cannot carry', () => {
    const hook = contentSecurityPolicyMeta().transformIndexHtml as IndexHtmlTransformHook;
    const tags = hook.call({} as ThisParameterType<IndexHtmlTransformHook>, '<html></html>', { path: '/index.html', filename: 'index.html' });
    expect(tags).toEqual([{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META }, injectTo: 'head-prepend' }]);
    expect(CONTENT_SECURITY_POLICY_META).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it("adds only the dev server's websocket for hot reload", () => {
    expect(devServerPolicy('http://localhost:5173')).toBe(CONTENT_SECURITY_POLICY.replace("connect-src 'self'", "connect-src 'self' ws://localhost:5173"));
  });
});
