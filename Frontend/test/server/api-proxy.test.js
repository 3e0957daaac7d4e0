import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieAttributes,
  createStaticFixture,
  fakeToken,
  send,
  sessionSetCookie,
  startFrontend,
  startUpstream,
} from './support/harness.js';

const token = fakeToken();
const signedIn = { cookie: `phase4_session=${token}` };

describe('/api proxied to the backend', () => {
  /** @type {(res: import('node:http').ServerResponse) => void} */
  let answer;
  /** @type {Awaited<ReturnType<typeof startUpstream>>} */
  let backend;
  /** @type {Awaited<ReturnType<typeof startUpstream>>} */
  let mcp;
  /** @type {Awaited<ReturnType<typeof startFrontend>>} */
  let frontend;

  beforeAll(async () => {
    backend = await startUpstream((_req, res) => answer(res));
    mcp = await startUpstream((_req, res) => res.end());
    frontend = await startFrontend({
      backendUrl: backend.url,
      mcpUrl: mcp.url,
      staticDir: createStaticFixture(),
      publicOrigin: new URL('http://todo.example:8080'),
    });
  });

  afterEach(() => {
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    backend.requests.length = 0;
  });

  afterAll(async () => {
    await frontend.app.shutdown();
    await backend.close();
    await mcp.close();
  });

  it('adds the session token as the bearer and forwards path, query, client address and the public origin', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json', etag: '"7"' }).end('[{"id":1}]');
    const response = await send(frontend.origin, { path: '/api/u1/tasks?status=pending&limit=5', headers: signedIn });

    expect(response.status).toBe(200);
    expect(response.body).toBe('[{"id":1}]');
    expect(response.headers.etag).toBe('"7"');
    const seen = backend.requests[0];
    expect(seen.url).toBe('/api/u1/tasks?status=pending&limit=5');
    expect(seen.headers.authorization).toBe(`Bearer ${token}`);
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('todo.example:8080');
    expect(seen.headers.host).toBe(backend.url.host);
  });

  it("never passes a client's Host or forwarding headers on: the public host comes from PUBLIC_ORIGIN alone", async () => {
    const spoofed = { host: 'evil.example', 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example;for=203.0.113.9' };
    await send(frontend.origin, { path: '/api/u1/tasks', headers: spoofed });
    expect(backend.requests[0].headers['x-forwarded-host']).toBe('todo.example:8080');
    expect(backend.requests[0].headers.forwarded).toBeUndefined();

    const withoutPublicOrigin = await startFrontend({ backendUrl: backend.url, mcpUrl: mcp.url, staticDir: createStaticFixture() });
    await send(withoutPublicOrigin.origin, { path: '/api/u1/tasks', headers: spoofed });
    await withoutPublicOrigin.app.shutdown();
    expect(backend.requests[1].headers['x-forwarded-host']).toBeUndefined();
    expect(backend.requests[1].headers.host).toBe(backend.url.host);
  });

  it('never forwards the browser cookie, nor an Authorization header a page script set', async () => {
    await send(frontend.origin, {
      path: '/api/u1/tasks',
      headers: { ...signedIn, authorization: 'Bearer forged-by-script' },
    });
    const seen = backend.requests[0];
    expect(seen.headers.authorization).toBe(`Bearer ${token}`);
    expect(seen.headers.cookie).toBeUndefined();
  });

  it('forwards no Authorization at all without a session, so the backend answers 401', async () => {
    await send(frontend.origin, { path: '/api/u1/tasks', headers: { authorization: 'Bearer forged-by-script' } });
    expect(backend.requests[0].headers.authorization).toBeUndefined();
  });

  it('ignores a client-supplied X-Forwarded-For unless it comes from a configured proxy', async () => {
    await send(frontend.origin, { path: '/api/u1/tasks', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(backend.requests[0].headers['x-forwarded-for']).toBe('127.0.0.1');

    const behindIngress = await startFrontend({
      backendUrl: backend.url,
      mcpUrl: mcp.url,
      staticDir: createStaticFixture(),
      trustedProxies: ['127.0.0.2/32'],
    });
    await send(behindIngress.origin, { path: '/api/u1/tasks', headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' }, localAddress: '127.0.0.2' });
    // Any other peer is the client itself, whatever it writes: a pod beside the ingress cannot pick its own address.
    await send(behindIngress.origin, { path: '/api/u1/tasks', headers: { 'x-forwarded-for': '203.0.113.10' }, localAddress: '127.0.0.3' });
    await behindIngress.app.shutdown();
    expect(backend.requests[1].headers['x-forwarded-for']).toBe('203.0.113.9');
    expect(backend.requests[2].headers['x-forwarded-for']).toBe('127.0.0.3');
  });

  it('streams request bodies and the backend status, problem body and headers through', async () => {
    answer = (res) =>
      res
        .writeHead(400, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 400, errors: { title: ['The title is required.'] } }));
    const body = JSON.stringify({ title: '' });
    const response = await send(frontend.origin, {
      method: 'POST',
      path: '/api/u1/tasks',
      headers: { ...signedIn, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body).errors.title).toEqual(['The title is required.']);
    expect(backend.requests[0].body).toBe(body);
    expect(backend.requests[0].method).toBe('POST');
  });

  it('passes If-Match through and the 412 back', async () => {
    answer = (res) => res.writeHead(412, { 'content-type': 'application/problem+json' }).end('{"status":412}');
    const response = await send(frontend.origin, {
      method: 'PUT',
      path: '/api/u1/tasks/3',
      headers: { ...signedIn, 'content-type': 'application/json', 'if-match': '"41"' },
      body: '{"title":"x"}',
    });
    expect(response.status).toBe(412);
    expect(backend.requests[0].headers['if-match']).toBe('"41"');
  });

  it('drops any cookie the backend tries to set, and keeps its own security headers', async () => {
    answer = (res) =>
      res
        .writeHead(200, { 'set-cookie': 'tracker=1', 'content-security-policy': "default-src *", 'content-type': 'application/json' })
        .end('{}');
    const response = await send(frontend.origin, { path: '/api/u1/tasks/1', headers: signedIn });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('clears the session cookie when the backend rejects the token (expired or revoked)', async () => {
    answer = (res) => res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    const response = await send(frontend.origin, { path: '/api/u1/tasks', headers: signedIn });
    expect(response.status).toBe(401);
    expect(cookieAttributes(sessionSetCookie(response.headers['set-cookie']))).toContain('max-age=0');
  });

  it.each([
    ['a form post (no JSON, no custom header)', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a text/plain post', { 'content-type': 'text/plain' }],
    ['a JSON post from another site', { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }],
    ['a JSON post from a sibling subdomain', { 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }],
  ])('refuses a state-changing call that could be cross-site: %s', async (_name, headers) => {
    const response = await send(frontend.origin, {
      method: 'POST',
      path: '/api/u1/tasks',
      headers: { ...signedIn, ...headers },
      body: 'title=pwned',
    });
    expect(response.status).toBe(403);
    expect(backend.requests).toHaveLength(0);
  });

  it('accepts a body-less DELETE from the page, which sends X-Requested-With', async () => {
    answer = (res) => res.writeHead(204).end();
    const response = await send(frontend.origin, {
      method: 'DELETE',
      path: '/api/u1/tasks/4',
      headers: { ...signedIn, 'x-requested-with': 'fetch', 'sec-fetch-site': 'same-origin' },
    });
    expect(response.status).toBe(204);
    expect(backend.requests[0].method).toBe('DELETE');
  });

  it('answers 502 with a ProblemDetails body when the backend is down', async () => {
    const gone = await startUpstream((_req, res) => res.end());
    await gone.close();
    const isolated = await startFrontend({ backendUrl: gone.url, mcpUrl: mcp.url, staticDir: createStaticFixture() });
    const response = await send(isolated.origin, { path: '/api/u1/tasks', headers: signedIn });
    await isolated.app.shutdown();
    expect(response.status).toBe(502);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({ status: 502, title: 'The backend is unavailable.' });
  });

  it('answers 504 when the backend stays silent past the timeout', async () => {
    const silent = await startUpstream(() => {});
    const impatient = await startFrontend({
      backendUrl: silent.url,
      mcpUrl: mcp.url,
      staticDir: createStaticFixture(),
      apiTimeoutMs: 200,
    });
    const response = await send(impatient.origin, { path: '/api/u1/tasks', headers: signedIn });
    await impatient.app.shutdown();
    await silent.close();
    expect(response.status).toBe(504);
  });

  it('gives a chat turn the chat timeout, and every other call the shorter API timeout', async () => {
    // undici checks its timers about once a second: the answer comes well after the API timeout.
    const slow = await startUpstream((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 2500);
    });
    const frontendWithBothTimeouts = await startFrontend({
      backendUrl: slow.url,
      mcpUrl: mcp.url,
      staticDir: createStaticFixture(),
      apiTimeoutMs: 200,
      chatTimeoutMs: 5000,
    });
    const list = await send(frontendWithBothTimeouts.origin, { path: '/api/u1/tasks', headers: signedIn });
    const chat = await send(frontendWithBothTimeouts.origin, {
      method: 'POST',
      path: '/API/u1/Chat/',
      headers: { ...signedIn, 'content-type': 'application/json' },
      body: '{"message":"hi"}',
    });
    await frontendWithBothTimeouts.app.shutdown();
    await slow.close();
    expect(list.status).toBe(504);
    expect(chat.status).toBe(200);
  });
});
