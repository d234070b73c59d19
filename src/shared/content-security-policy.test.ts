import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { createServer, type IndexHtmlTransformHook } from 'vite';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicyMeta } from '../../electron.vite.config.ts';
import { SECURITY_HEADERS } from '../server/guard.ts';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META, devServerPolicy, REACT_REFRESH_PREAMBLE_HASH } from './content-security-policy.ts';

describe('the Content-Security-Policy', () => {
  it('is the one the HTTP server sends', () => {
    expect(SECURITY_HEADERS['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('goes into index.html at build time, less what a meta tag cannot carry', () => {
    const hook = contentSecurityPolicyMeta().transformIndexHtml as IndexHtmlTransformHook;
    const tags = hook.call({} as ThisParameterType<IndexHtmlTransformHook>, '<html></html>', { path: '/index.html', filename: 'index.html' });
    expect(tags).toEqual([{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META }, injectTo: 'head-prepend' }]);
    expect(CONTENT_SECURITY_POLICY_META).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it("adds only the dev server's websocket for hot reload and the refresh preamble's hash", () => {
    expect(devServerPolicy('http://localhost:5173')).toBe(CONTENT_SECURITY_POLICY
      .replace("connect-src 'self'", "connect-src 'self' ws://localhost:5173")
      .replace("script-src 'self' 'wasm-unsafe-eval'", `script-src 'self' 'wasm-unsafe-eval' ${REACT_REFRESH_PREAMBLE_HASH}`));
  });

  it('allows every inline script of the dev server’s page by hash, and puts no meta tag there', async () => {
    expect(contentSecurityPolicyMeta().apply).toBe('build');
    // The renderer's own plugins, on a real Vite dev server (no port): the page as Electron gets it.
    const server = await createServer({
      configFile: false, root: 'src/renderer', plugins: [react(), contentSecurityPolicyMeta()],
      server: { middlewareMode: true }, appType: 'custom', logLevel: 'silent',
    });
    try {
      const html = await server.transformIndexHtml('/index.html', readFileSync('src/renderer/index.html', 'utf8'));
      expect(html).not.toContain('Content-Security-Policy');
      const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(([, code]) => code!);
      expect(inline.join('\n')).toContain('$RefreshSig$');
      const scriptSrc = /script-src ([^;]+)/.exec(devServerPolicy('http://localhost:5173'))![1]!.split(' ');
      for (const code of inline) expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(code).digest('base64')}'`);
    } finally {
      await server.close();
    }
  });
});
