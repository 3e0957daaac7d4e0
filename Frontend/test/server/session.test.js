import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieAttributes,
  createStaticFixture,
  fakeToken,
  send,
  sessionSetCookie,
  startFrontend,
  startScriptedUpstream,
  startUpstream,
} from './support/harness.js';

const json = { 'content-type': 'application/json' };
const credentials = JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' });

describe('sign-in, sign-up, sign-out and /session', () => {
  /** @type {Awaited<ReturnType<typeof startScriptedUpstream>>} */
  let backend;
  /** @type {Awaited<ReturnType<typeof startFrontend>>} */
  let frontend;
  const token = fakeToken();

  beforeAll(async () => {
    backend = await startScriptedUpstream();
    frontend = await startFrontend({ backendUrl: backend.url, mcpUrl: backend.url, staticDir: createStaticFixture() });
  });

  afterEach(() => backend.reset());

  afterAll(async () => {
    await frontend.app.shutdown();
    await backend.close();
  });

  const loginSucceeds = () => {
    backend.answers['POST /api/auth/login'] = (res) =>
      res
        .writeHead(200, json)
        .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, user_id: 'u' }));
  };

  it('signs in through the backend and keeps the token in an httpOnly, SameSite=Strict cookie the page never sees', async () => {
    loginSucceeds();
    const response = await send(frontend.origin, { method: 'POST', path: '/api/auth/login', headers: json, body: credentials });

    expect(response.status).toBe(200);
    const session = JSON.parse(response.body);
    expect(session).toMatchObject({ user_id: '6f1c1f8e-1d1b-4b8e-9d55-3f7c2a1b0c9d', email: 'ada@example.com' });
    expect(Date.parse(session.expires_at) - Date.now()).toBeGreaterThan(3_500_000);
    expect(response.body).not.toContain(token);
    const cookie = sessionSetCookie(response.headers['set-cookie']);
    expect(cookie.startsWith(`phase4_session=${token};`)).toBe(true);
    expect(cookieAttributes(cookie)).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/', 'max-age=3600']));
    expect(cookieAttributes(cookie)).not.toContain('secure');

    expect(backend.requests).toHaveLength(1);
    expect(JSON.parse(backend.requests[0].body)).toEqual(JSON.parse(credentials));
    expect(backend.requests[0].headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(backend.requests[0].headers['x-forwarded-proto']).toBe('http');
  });

  it('marks the cookie Secure and __Host- prefixed when the browser came over https', async () => {
    loginSucceeds();
    const response = await send(frontend.origin, {
      method: 'POST',
      path: '/api/auth/login',
      headers: { ...json, 'x-forwarded-proto': 'https' },
      body: credentials,
    });
    const cookie = sessionSetCookie(response.headers['set-cookie']);
    expect(cookie.startsWith(`__Host-phase4_session=${token};`)).toBe(true);
    // What the prefix requires of the cookie, or browsers drop it: Secure, Path=/ and no Domain.
    expect(cookieAttributes(cookie)).toEqual(expect.arrayContaining(['secure', 'path=/', 'httponly', 'samesite=strict']));
    expect(cookieAttributes(cookie).some((attribute) => attribute.startsWith('domain'))).toBe(false);
    expect(backend.requests[0].headers['x-forwarded-proto']).toBe('https');
  });

  it("keeps the backend's device token in its own httpOnly cookie and sends it back, never to the page, on the next sign-in", async () => {
    const deviceToken = 'device.token.signed';
    backend.answers['POST /api/auth/login'] = (res) =>
      res.writeHead(200, json).end(
        JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, user_id: 'u', device_token: deviceToken, device_token_expires_in: 7776000 }),
      );
    const first = await send(frontend.origin, { method: 'POST', path: '/api/auth/login', headers: json, body: credentials });

    expect(first.status).toBe(200);
    expect(first.body).not.toContain(deviceToken);
    const setCookies = /** @type {string[]} */ (first.headers['set-cookie']);
    const device = setCookies.find((cookie) => cookie.startsWith('phase4_device='));
    expect(device?.startsWith(`phase4_device=${deviceToken};`)).toBe(true);
    expect(cookieAttributes(/** @type {string} */ (device))).toEqual(
      expect.arrayContaining(['httponly', 'samesite=strict', 'path=/', 'max-age=7776000']),
    );
    expect(backend.requests[0].headers['x-device-token']).toBeUndefined();

    // The next sign-in on this browser presents it; a page script's own X-Device-Token is never passed on.
    await send(frontend.origin, {
      method: 'POST',
      path: '/api/auth/login',
      headers: { ...json, cookie: `phase4_device=${deviceToken}`, 'x-device-token': 'forged' },
      body: credentials,
    });
    expect(backend.requests[1].headers['x-device-token']).toBe(deviceToken);
    await send(frontend.origin, { method: 'POST', path: '/api/auth/login', headers: { ...json, 'x-device-token': 'forged' }, body: credentials });
    expect(backend.requests[2].headers['x-device-token']).toBeUndefined();
  });

  it('passes a failed sign-in on unchanged and sets no cookie', async () => {
    const problem = JSON.stringify({ title: 'Invalid email or password.', status: 401 });
    backend.answers['POST /api/auth/login'] = (res) => res.writeHead(401, { 'content-type': 'application/problem+json' }).end(problem);
    const response = await send(frontend.origin, { method: 'POST', path: '/api/auth/login', headers: json, body: credentials });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toBe(problem);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('passes throttling on with its Retry-After', async () => {
    backend.answers['POST /api/auth/login'] = (res) =>
      res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '30' }).end('{"status":429}');
    const response = await send(frontend.origin, { method: 'POST', path: '/api/auth/login', headers: json, body: credentials });
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('30');
  });

  it('refuses an oversized credentials body without calling the backend', async () => {
    const body = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20000) });
    const response = await send(frontend.origin, { method: 'POST', path: '/api/auth/login', headers: json, body });
    expect(response.status).toBe(413);
    expect(backend.requests).toHaveLength(0);
  });

  it('answers 502 when the backend cannot be reached, without leaking details', async () => {
    const unreachable = await startUpstream((_req, res) => res.end());
    await unreachable.close();
    const isolated = await startFrontend({ backendUrl: unreachable.url, mcpUrl: unreachable.url, staticDir: createStaticFixture() });
    const response = await send(isolated.origin, { method: 'POST', path: '/api/auth/login', headers: json, body: credentials });
    await isolated.app.shutdown();
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body)).toMatchObject({ status: 502, title: 'The backend is unavailable.' });
    expect(response.body).not.toContain('ECONNREFUSED');
  });

  it('creates an account and signs it in with the same credentials', async () => {
    backend.answers['POST /api/auth/register'] = (res) =>
      res.writeHead(201, json).end(JSON.stringify({ user_id: 'u', email: 'ada@example.com' }));
    loginSucceeds();
    const response = await send(frontend.origin, { method: 'POST', path: '/api/auth/register', headers: json, body: credentials });

    expect(response.status).toBe(201);
    expect(response.body).not.toContain(token);
    expect(sessionSetCookie(response.headers['set-cookie'])).toContain(token);
    expect(backend.requests.map((r) => r.url)).toEqual(['/api/auth/register', '/api/auth/login']);
    expect(backend.requests[1].body).toBe(credentials);
  });

  it('passes a refused sign-up (email taken) on without trying to sign in', async () => {
    backend.answers['POST /api/auth/register'] = (res) =>
      res.writeHead(409, { 'content-type': 'application/problem+json' }).end('{"status":409,"title":"Email taken"}');
    const response = await send(frontend.origin, { method: 'POST', path: '/api/auth/register', headers: json, body: credentials });
    expect(response.status).toBe(409);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(backend.requests.map((r) => r.url)).toEqual(['/api/auth/register']);
  });

  it('tells the page who is signed in from the cookie, never the token itself', async () => {
    const response = await send(frontend.origin, { path: '/session', headers: { cookie: `other=1; phase4_session=${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ user_id: '6f1c1f8e-1d1b-4b8e-9d55-3f7c2a1b0c9d', email: 'ada@example.com' });
    expect(response.body).not.toContain(token);
  });

  it('answers /session with 401 without a cookie', async () => {
    const response = await send(frontend.origin, { path: '/session' });
    expect(response.status).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('answers /session with 401 and clears the cookie once the token has expired', async () => {
    const expired = fakeToken({ expiresInSeconds: -5 });
    const response = await send(frontend.origin, { path: '/session', headers: { cookie: `phase4_session=${expired}` } });
    expect(response.status).toBe(401);
    expect(cookieAttributes(sessionSetCookie(response.headers['set-cookie']))).toContain('max-age=0');
  });

  it('answers /session with 401 for a cookie that is not a token', async () => {
    const response = await send(frontend.origin, { path: '/session', headers: { cookie: 'phase4_session=garbage' } });
    expect(response.status).toBe(401);
  });

  it('signs out by clearing the cookie', async () => {
    const response = await send(frontend.origin, {
      method: 'POST',
      path: '/api/auth/logout',
      headers: { 'x-requested-with': 'fetch', cookie: `phase4_session=${token}` },
    });
    expect(response.status).toBe(204);
    const cookie = sessionSetCookie(response.headers['set-cookie']);
    expect(cookie.startsWith('phase4_session=;')).toBe(true);
    expect(cookieAttributes(cookie)).toEqual(expect.arrayContaining(['max-age=0', 'httponly', 'samesite=strict']));
  });

  it('refuses a sign-out a cross-site form could send (no JSON, no custom header)', async () => {
    const response = await send(frontend.origin, {
      method: 'POST',
      path: '/api/auth/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `phase4_session=${token}` },
    });
    expect(response.status).toBe(403);
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});
