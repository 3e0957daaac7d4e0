import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenBucketStore } from '../../server/token-bucket-store.js';
import { createStaticFixture, send, startFrontend, startUpstream } from './support/harness.js';

const json = { 'content-type': 'application/json' };
const credentials = JSON.stringify({ email: 'ada@example.com', password: 'wrong password' });
const signInsPerMinute = 5;

describe('sign-in and sign-up limits per client address', () => {
  /** @type {Awaited<ReturnType<typeof startUpstream>>} */
  let backend;
  /** @type {Awaited<ReturnType<typeof startFrontend>>} */
  let frontend;

  beforeAll(async () => {
    backend = await startUpstream((_req, res) => res.writeHead(401, { 'content-type': 'application/problem+json' }).end('{"status":401}'));
  });

  afterEach(async () => {
    await frontend.app.shutdown();
    backend.requests.length = 0;
  });

  afterAll(() => backend.close());

  /** @param {string} localAddress @param {string} [path] @param {Record<string, string>} [headers] */
  const signIn = (localAddress, path = '/api/auth/login', headers = {}) =>
    send(frontend.origin, { method: 'POST', path, headers: { ...json, ...headers }, body: credentials, localAddress });

  it('stops one address flooding sign-ins (in any spelling) while another still signs in', async () => {
    frontend = await startFrontend({ backendUrl: backend.url, mcpUrl: backend.url, staticDir: createStaticFixture(), signInsPerMinute });
    const flood = [];
    for (let i = 0; i < signInsPerMinute + 3; i++) flood.push(await signIn('127.0.0.2', i % 2 ? '/api/auth/Login/' : '/api/auth/login'));

    expect(flood.slice(0, signInsPerMinute).map((r) => r.status)).toEqual(Array(signInsPerMinute).fill(401));
    const refused = flood.slice(signInsPerMinute);
    expect(refused.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(Number(refused[0].headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused[0].body)).toMatchObject({ status: 429 });
    // Refused here: the backend never saw them.
    expect(backend.requests).toHaveLength(signInsPerMinute);

    expect((await signIn('127.0.0.3')).status).toBe(401);
    expect(backend.requests).toHaveLength(signInsPerMinute + 1);
  });

  it('keeps separate buckets for sign-in and sign-up', async () => {
    frontend = await startFrontend({ backendUrl: backend.url, mcpUrl: backend.url, staticDir: createStaticFixture(), signInsPerMinute: 1, signUpsPerHour: 1 });
    expect((await signIn('127.0.0.2')).status).toBe(401);
    expect((await signIn('127.0.0.2')).status).toBe(429);
    const signUp = await send(frontend.origin, { method: 'POST', path: '/api/auth/register', headers: json, body: credentials, localAddress: '127.0.0.2' });
    expect(signUp.status).toBe(401);
    const again = await send(frontend.origin, { method: 'POST', path: '/api/auth/register', headers: json, body: credentials, localAddress: '127.0.0.2' });
    expect(again.status).toBe(429);
  });

  it("behind a configured proxy counts its client's address (the last X-Forwarded-For entry), from anyone else the socket's", async () => {
    frontend = await startFrontend({ backendUrl: backend.url, mcpUrl: backend.url, staticDir: createStaticFixture(), signInsPerMinute: 1, trustedProxies: ['127.0.0.2'] });
    expect((await signIn('127.0.0.2', undefined, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).status).toBe(401);
    expect((await signIn('127.0.0.2', undefined, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).status).toBe(429);
    // The same proxy, another client: its own bucket; a forged first entry changes nothing.
    expect((await signIn('127.0.0.2', undefined, { 'x-forwarded-for': '203.0.113.1, 203.0.113.2' })).status).toBe(401);
    expect(backend.requests.map((r) => r.headers['x-forwarded-for'])).toEqual(['203.0.113.1', '203.0.113.2']);

    // Not a configured proxy: each claim is ignored, so rotating X-Forwarded-For gets no fresh bucket.
    expect((await signIn('127.0.0.4', undefined, { 'x-forwarded-for': '198.51.100.20' })).status).toBe(401);
    expect((await signIn('127.0.0.4', undefined, { 'x-forwarded-for': '198.51.100.21' })).status).toBe(429);
  });
});

describe('TokenBucketStore', () => {
  it('allows a burst of max, then one attempt per timeWindow/max as tokens come back', () => {
    let now = 0;
    const store = new TokenBucketStore({ now: () => now });
    /** @type {{ current: number, ttl: number }[]} */
    const results = [];
    const take = () => store.incr('198.51.100.7', (_error, result) => results.push(result), 60_000, 3);

    take();
    take();
    take();
    take();
    expect(results.map((r) => r.current > 3)).toEqual([false, false, false, true]);
    expect(results[3].ttl).toBe(20_000);

    now = 19_999;
    take();
    now = 20_000;
    take();
    take();
    expect(results.slice(4).map((r) => r.current > 3)).toEqual([true, false, true]);

    store.incr('203.0.113.1', (_error, result) => results.push(result), 60_000, 3);
    expect(results.at(-1)?.current).toBe(1);
  });
});

describe('what a slow or odd client cannot do', () => {
  /** @type {(req: http.IncomingMessage, res: http.ServerResponse) => void} */
  let answer;
  /** @type {Awaited<ReturnType<typeof startUpstream>>} */
  let upstream;
  /** @type {Awaited<ReturnType<typeof startFrontend>>} */
  let frontend;
  /** @type {Promise<void>} */
  let upstreamRequestClosed;

  beforeAll(async () => {
    const trickleTarget = http.createServer((req, res) => {
      upstreamRequestClosed = new Promise((resolve) => req.on('close', () => resolve()));
      req.resume();
      res.on('close', () => {});
    });
    await new Promise((resolve) => trickleTarget.listen(0, '127.0.0.1', () => resolve(undefined)));
    upstream = await startUpstream((req, res) => answer(req, res));
    frontend = await startFrontend({
      backendUrl: new URL(`http://127.0.0.1:${/** @type {net.AddressInfo} */ (trickleTarget.address()).port}`),
      mcpUrl: upstream.url,
      staticDir: createStaticFixture(),
      requestReadTimeoutMs: 300,
    });
    afterAll(() => new Promise((resolve) => trickleTarget.close(() => resolve(undefined))));
  });

  afterAll(async () => {
    await frontend.app.shutdown();
    await upstream.close();
  });

  it('cuts a trickled body off at the read timeout, and the upstream call with it', async () => {
    const socket = net.connect(frontend.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('POST /api/u1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":');
    // Only the start of the body ever arrives.
    await closed;

    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    await expect(upstreamRequestClosed).resolves.toBeUndefined();
  });

  it('strips hop-by-hop headers, and the ones the Connection header names, in both directions', async () => {
    answer = (_req, res) => {
      res.setHeader('x-upstream-hop', 'secret');
      res.setHeader('connection', 'x-upstream-hop');
      res.writeHead(200, { 'content-type': 'application/json', 'keep-alive': 'timeout=99' }).end('{}');
    };
    const response = await send(frontend.origin, {
      path: '/mcp',
      headers: {
        connection: 'keep-alive, x-client-hop',
        'x-client-hop': 'secret',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic c2VjcmV0',
        forwarded: 'for=203.0.113.9',
      },
    });

    expect(response.status).toBe(200);
    const seen = upstream.requests[0].headers;
    for (const name of ['x-client-hop', 'keep-alive', 'te', 'proxy-authorization', 'forwarded']) expect(seen[name]).toBeUndefined();
    expect(response.headers['x-upstream-hop']).toBeUndefined();
    expect(response.headers['keep-alive']).not.toBe('timeout=99');
  });

  it('sends an event stream\'s headers at once, before its first event', async () => {
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
    const status = await new Promise((resolve, reject) => {
      const req = http.get(`${frontend.origin}/mcp`, { agent: false }, (res) => {
        resolve(res.statusCode);
        req.destroy();
      });
      req.on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('answers an upstream 503 at once, without retrying behind the client', async () => {
    upstream.requests.length = 0;
    answer = (_req, res) => res.writeHead(503, { 'retry-after': '0' }).end();
    const response = await send(frontend.origin, { path: '/mcp' });
    expect(response.status).toBe(503);
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('what a slow reader cannot do', () => {
  /** @type {Awaited<ReturnType<typeof startUpstream>>} */
  let upstream;
  /** @type {Promise<void>} */
  let upstreamResponseClosed = Promise.resolve();

  beforeAll(async () => {
    // An answer far larger than the sockets' buffers, so a client that stops reading stops the proxy writing.
    const big = Buffer.alloc(64 * 1024 * 1024, 'x');
    upstream = await startUpstream((_req, res) => {
      upstreamResponseClosed = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length });
      res.end(big);
    });
  });

  afterAll(() => upstream.close());

  /**
   * Asks for the big answer through /api and reads it as `read` says; resolves with how long the frontend kept the
   * connection open.
   * @param {import('./support/harness.js').startFrontend extends (...args: any[]) => Promise<infer F> ? F : never} frontend
   * @param {(socket: net.Socket) => void} read
   */
  const slowRead = (frontend, read) =>
    new Promise((resolve) => {
      const started = Date.now();
      const socket = net.connect(frontend.port, '127.0.0.1', () => {
        socket.write('GET /api/u1/tasks HTTP/1.1\r\nHost: x\r\n\r\n');
        read(socket);
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(Date.now() - started));
    });

  it('cuts off a client that stops reading a started response, and the upstream call with it', async () => {
    const frontend = await startFrontend({ backendUrl: upstream.url, mcpUrl: upstream.url, staticDir: createStaticFixture(), responseIdleTimeoutMs: 500 });
    const started = Date.now();
    /** @type {net.Socket | undefined} */
    let client;
    // The client reads the first bytes, then nothing: it never sees the close either, so the upstream side is watched.
    const cutOff = new Promise((resolve) => {
      client = net.connect(frontend.port, '127.0.0.1', () => {
        client?.write('GET /api/u1/tasks HTTP/1.1\r\nHost: x\r\n\r\n');
        client?.once('data', () => {
          client?.pause();
          upstreamResponseClosed.then(resolve);
        });
      });
      client.on('error', () => {});
    });
    await cutOff;
    const heldFor = Date.now() - started;
    client?.destroy();
    await frontend.app.shutdown();
    expect(heldFor).toBeLessThan(4000);
  });

  it('cuts off a client that reads a started response too slowly to finish it in time', async () => {
    const frontend = await startFrontend({ backendUrl: upstream.url, mcpUrl: upstream.url, staticDir: createStaticFixture(), responseTimeoutMs: 1000 });
    const heldFor = await slowRead(frontend, (socket) => {
      // A little every 50 ms: never idle, never done.
      socket.on('data', () => {
        socket.pause();
        setTimeout(() => socket.resume(), 50);
      });
    });
    await frontend.app.shutdown();
    expect(heldFor).toBeGreaterThanOrEqual(900);
    expect(heldFor).toBeLessThan(6000);
  });
});
