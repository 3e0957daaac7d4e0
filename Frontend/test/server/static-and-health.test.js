import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticFixture, send, startFrontend, startUpstream } from './support/harness.js';

describe('the built app, health endpoints and security headers', () => {
  /** @type {Awaited<ReturnType<typeof startUpstream>>} */
  let upstream;
  /** @type {Awaited<ReturnType<typeof startFrontend>>} */
  let frontend;

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => res.end());
    frontend = await startFrontend({ backendUrl: upstream.url, mcpUrl: upstream.url, staticDir: createStaticFixture() });
  });

  afterAll(async () => {
    await frontend.app.shutdown();
    await upstream.close();
  });

  it('answers /alive and /health with 200 without asking any upstream', async () => {
    const alive = await send(frontend.origin, { path: '/alive' });
    const health = await send(frontend.origin, { path: '/health' });
    expect([alive.status, alive.body, health.status, health.body]).toEqual([200, 'Healthy', 200, 'Healthy']);
    expect(upstream.requests).toHaveLength(0);
  });

  it('serves the index page with a strict Content-Security-Policy and the usual security headers', async () => {
    const page = await send(frontend.origin, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<div id="root">');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('adds HSTS only when the browser came over https (behind a TLS-terminating proxy)', async () => {
    const page = await send(frontend.origin, { path: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('serves hashed assets as immutable, gzipped when the browser accepts it', async () => {
    const plain = await send(frontend.origin, { path: '/assets/app-1a2b3c.js' });
    expect(plain.status).toBe(200);
    // Either JavaScript MIME type (RFC 9239) satisfies the browser's nosniff check for scripts.
    expect(plain.headers['content-type']).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();

    const gzipped = await send(frontend.origin, { path: '/assets/app-1a2b3c.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.raw.length).toBeLessThan(plain.raw.length);
  });

  it('answers 304 when the browser already has the current version', async () => {
    const first = await send(frontend.origin, { path: '/favicon.svg' });
    const again = await send(frontend.origin, { path: '/favicon.svg', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers any app route with the index page, but a missing file with 404', async () => {
    const route = await send(frontend.origin, { path: '/tasks/today?filter=pending' });
    expect(route.status).toBe(200);
    expect(route.body).toContain('<div id="root">');

    const missing = await send(frontend.origin, { path: '/assets/gone-123.js' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/problem+json');
  });

  it.each(['/../package.json', '/assets/../../server/app.js', '/%2e%2e/server/app.js', '/assets/%2e%2e%2f%2e%2e%2fpackage.json'])(
    'never serves a file outside the built app (%s)',
    async (path) => {
      const response = await send(frontend.origin, { path });
      expect(response.body).not.toContain('createFrontendServer');
      expect(response.body).not.toContain('"devDependencies"');
    },
  );

  it('refuses methods other than GET and HEAD for pages', async () => {
    const response = await send(frontend.origin, { method: 'POST', path: '/', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it('rejects an absolute-form request target', async () => {
    const response = await send(frontend.origin, { path: 'http://evil.example/api/x' });
    expect(response.status).toBe(400);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('readiness during shutdown', () => {
  it('reports /health unready while draining, before the listener closes', async () => {
    const upstream = await startUpstream((_req, res) => res.end());
    const frontend = await startFrontend({
      backendUrl: upstream.url,
      mcpUrl: upstream.url,
      staticDir: createStaticFixture(),
      drainDelayMs: 400,
    });
    const stopped = frontend.app.shutdown();
    const health = await send(frontend.origin, { path: '/health' });
    const alive = await send(frontend.origin, { path: '/alive' });
    await stopped;
    await upstream.close();
    expect(health.status).toBe(503);
    expect(alive.status).toBe(200);
  });
});
