import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cookieAttributes, createStaticFixture, fakeToken, send, sessionSetCookie, startFrontend, startScriptedUpstream, startUpstream } from './support/harness.js';

const json = { 'content-type': 'application/json' };
const credentials = JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' });
// Another account's session rides along on every call: no spelling may turn it into the backend call's bearer.
const otherSession = fakeToken({ sub: '0b6b2f47-5d2a-4f8e-9c1d-7a3e8f0c2b11', email: 'mallory@example.com' });
const withSession = { ...json, cookie: `phase4_session=${otherSession}` };

describe('the /api/auth boundary', () => {
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

  const backendSignsIn = () => {
    backend.answers['POST /api/auth/login'] = (res) =>
      res.writeHead(200, json).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
  };

  // Every spelling the backend's router (ASP.NET Core: case-insensitive, trailing slash optional, percent-encoded
  // letters decoded, dot segments resolved) would take for its sign-in route.
  it.each([
    '/api/auth/login',
    '/api/auth/Login',
    '/API/AUTH/LOGIN',
    '/api/auth/login/',
    '/api/auth/LOGIN/',
    '/api/auth/%6Cogin',
    '/api/auth/%6c%6F%67%69%6E',
    '/api/%61uth/login',
    '/api/auth//login',
    '//api/auth/login',
    '/api/auth/./login',
    '/api/auth/%2e/login',
    '/api/tasks/../auth/login',
    '/api/tasks/%2E%2E/auth/login',
    '/api/auth/login?next=/',
  ])('handles POST %s itself: the token goes into the cookie, never into the answer', async (path) => {
    backendSignsIn();
    const response = await send(frontend.origin, { method: 'POST', path, headers: withSession, body: credentials });

    expect(response.status).toBe(200);
    expect(response.body).not.toContain(token);
    expect(sessionSetCookie(response.headers['set-cookie'])).toContain(token);
    expect(backend.requests.map((r) => r.url)).toEqual(['/api/auth/login']);
    expect(backend.requests[0].headers.authorization).toBeUndefined();
    expect(backend.requests[0].headers.cookie).toBeUndefined();
  });

  it.each(['/api/auth/Register', '/api/auth/register/', '/api/auth/%72egister'])('handles POST %s itself', async (path) => {
    backend.answers['POST /api/auth/register'] = (res) => res.writeHead(201, json).end('{}');
    backendSignsIn();
    const response = await send(frontend.origin, { method: 'POST', path, headers: withSession, body: credentials });

    expect(response.status).toBe(201);
    expect(backend.requests.map((r) => r.url)).toEqual(['/api/auth/register', '/api/auth/login']);
    expect(backend.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  // Anything else under /api/auth goes to the backend as it is, but as nobody.
  it.each([
    ['GET', '/api/auth/login'],
    ['POST', '/api/auth/whatever'],
    ['POST', '/api/auth'],
    ['POST', '/api/Auth/'],
    ['POST', '/api/auth%2Flogin'],
    ['POST', '/api/AUTH%2flogin'],
    ['POST', '/api/auth/log%C4%B1n'],
    ['POST', '/api/auth/login;x'],
    ['POST', '/api/auth/login%20'],
    ['PUT', '/api/auth/mcp-token'],
    ['GET', '/api/auth/mcp-tokens'],
  ])('sends %s %s on without the session', async (method, path) => {
    const body = method === 'GET' ? undefined : '{}';
    await send(frontend.origin, { method, path, headers: { ...withSession, authorization: 'Bearer forged' }, body });

    expect(backend.requests).toHaveLength(1);
    expect(backend.requests[0].headers.authorization).toBeUndefined();
    expect(backend.requests[0].headers.cookie).toBeUndefined();
  });

  it('keeps an encoded slash before "auth" out of the API altogether (the backend would not route it either)', async () => {
    const response = await send(frontend.origin, { method: 'POST', path: '/api%2Fauth%2Flogin', headers: withSession, body: credentials });
    expect(response.status).toBe(405);
    expect(backend.requests).toHaveLength(0);
  });

  it.each([
    ['POST', '/api/auth/mcp-token', '/api/auth/mcp-token'],
    ['POST', '/api/auth/MCP-Token/', '/api/auth/mcp-token'],
    ['DELETE', '/api/auth/mcp-tokens', '/api/auth/mcp-tokens'],
    ['DELETE', '/api/auth/Mcp-Tokens/', '/api/auth/mcp-tokens'],
  ])('sends %s %s, which acts on the signed-in user, with the session as %s', async (method, path, backendPath) => {
    backend.answers[`${method} ${backendPath}`] = (res) => res.writeHead(method === 'DELETE' ? 204 : 200, json).end(method === 'DELETE' ? undefined : '{}');
    const response = await send(frontend.origin, { method, path, headers: withSession, body: method === 'DELETE' ? undefined : '{}' });

    expect(response.status).toBe(method === 'DELETE' ? 204 : 200);
    expect(backend.requests.map((r) => r.url)).toEqual([backendPath]);
    expect(backend.requests[0].headers.authorization).toBe(`Bearer ${otherSession}`);
  });

  it('signs out at the backend with the session token, then clears the cookie', async () => {
    backend.answers['POST /api/auth/logout'] = (res) => res.writeHead(204).end();
    const response = await send(frontend.origin, { method: 'POST', path: '/api/auth/Logout/', headers: withSession });

    expect(response.status).toBe(204);
    expect(cookieAttributes(sessionSetCookie(response.headers['set-cookie']))).toContain('max-age=0');
    expect(backend.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/auth/logout']);
    expect(backend.requests[0].headers.authorization).toBe(`Bearer ${otherSession}`);
  });

  it('clears the cookie on sign-out even when the backend cannot be told', async () => {
    const gone = await startUpstream((_req, res) => res.end());
    await gone.close();
    const isolated = await startFrontend({ backendUrl: gone.url, mcpUrl: gone.url, staticDir: createStaticFixture() });
    const response = await send(isolated.origin, { method: 'POST', path: '/api/auth/logout', headers: withSession });
    await isolated.app.shutdown();

    expect(response.status).toBe(204);
    expect(cookieAttributes(sessionSetCookie(response.headers['set-cookie']))).toContain('max-age=0');
  });

  it('over https reads and writes only the __Host- cookie, so a cookie planted without the prefix is no session', async () => {
    const secure = await startFrontend({
      backendUrl: backend.url,
      mcpUrl: backend.url,
      staticDir: createStaticFixture(),
      publicOrigin: new URL('https://todo.example'),
    });
    const planted = await send(secure.origin, { path: '/session', headers: { cookie: `phase4_session=${token}` } });
    const prefixed = await send(secure.origin, { path: '/session', headers: { cookie: `__Host-phase4_session=${token}` } });
    backendSignsIn();
    const signIn = await send(secure.origin, { method: 'POST', path: '/api/auth/login', headers: json, body: credentials });
    await secure.app.shutdown();

    expect(planted.status).toBe(401);
    expect(prefixed.status).toBe(200);
    expect(sessionSetCookie(signIn.headers['set-cookie']).startsWith(`__Host-phase4_session=${token};`)).toBe(true);
    expect(signIn.headers['strict-transport-security']).toBe('max-age=31536000');
  });
});
