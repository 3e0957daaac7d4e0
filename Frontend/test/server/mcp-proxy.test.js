import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mcpBodyLimitBytes } from '../../server/app.js';
import { createStaticFixture, fakeToken, send, startFrontend, startUpstream } from './support/harness.js';

describe('/mcp proxied to the MCP server', () => {
  /** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} */
  let answer;
  /** @type {Awaited<ReturnType<typeof startUpstream>>} */
  let mcp;
  /** @type {Awaited<ReturnType<typeof startUpstream>>} */
  let backend;
  /** @type {Awaited<ReturnType<typeof startFrontend>>} */
  let frontend;

  beforeAll(async () => {
    mcp = await startUpstream((req, res) => answer(req, res));
    backend = await startUpstream((_req, res) => res.end());
    frontend = await startFrontend({
      backendUrl: backend.url,
      mcpUrl: mcp.url,
      staticDir: createStaticFixture(),
      publicOrigin: new URL('https://todo.example'),
    });
  });

  afterEach(() => {
    mcp.requests.length = 0;
  });

  afterAll(async () => {
    await frontend.app.shutdown();
    await mcp.close();
    await backend.close();
  });

  it("passes the MCP client's own bearer token and the MCP headers through, both ways", async () => {
    answer = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-42' })
        .end('{"jsonrpc":"2.0","id":1,"result":{}}');
    const body = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}';
    const response = await send(frontend.origin, {
      method: 'POST',
      path: '/mcp',
      headers: {
        authorization: 'Bearer mcp-audience-token',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': 'session-41',
        'mcp-protocol-version': '2025-06-18',
        'last-event-id': 'evt-7',
      },
      body,
    });

    expect(response.status).toBe(200);
    expect(response.headers['mcp-session-id']).toBe('session-42');
    const seen = mcp.requests[0];
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/mcp');
    expect(seen.body).toBe(body);
    expect(seen.headers.authorization).toBe('Bearer mcp-audience-token');
    expect(seen.headers['mcp-session-id']).toBe('session-41');
    expect(seen.headers['mcp-protocol-version']).toBe('2025-06-18');
    expect(seen.headers['last-event-id']).toBe('evt-7');
    expect(seen.headers.accept).toBe('application/json, text/event-stream');
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('never turns the browser session into an MCP credential', async () => {
    answer = (_req, res) => res.writeHead(401, { 'www-authenticate': 'Bearer realm="phase4-mcp"' }).end();
    const response = await send(frontend.origin, {
      method: 'POST',
      path: '/mcp',
      headers: { cookie: `phase4_session=${fakeToken()}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="phase4-mcp"');
    expect(mcp.requests[0].headers.authorization).toBeUndefined();
    expect(mcp.requests[0].headers.cookie).toBeUndefined();
  });

  it('lets an MCP client without a JSON content type through (no CSRF rule on /mcp)', async () => {
    answer = (_req, res) => res.writeHead(202).end();
    const response = await send(frontend.origin, { method: 'DELETE', path: '/mcp', headers: { 'mcp-session-id': 's' } });
    expect(response.status).toBe(202);
    expect(mcp.requests[0].method).toBe('DELETE');
  });

  it('streams Server-Sent Events through as they are written, without buffering', async () => {
    /** @type {() => void} */
    let finish = () => {};
    const upstreamFinished = new Promise((resolve) => {
      answer = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('id: 1\ndata: {"first":true}\n\n');
        finish = () => {
          res.end('id: 2\ndata: {"last":true}\n\n');
          resolve(undefined);
        };
      };
    });

    const events = [];
    const firstEvent = new Promise((resolve, reject) => {
      const req = http.get(`${frontend.origin}/mcp`, { headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          events.push(chunk);
          resolve(undefined);
        });
        res.on('end', () => events.push('<end>'));
      });
      req.on('error', reject);
    });

    // The first event arrives while the upstream response is still open.
    await firstEvent;
    expect(events.join('')).toContain('"first":true');
    expect(events).not.toContain('<end>');

    finish();
    await upstreamFinished;
    await expect.poll(() => events.includes('<end>')).toBe(true);
    expect(events.join('')).toContain('"last":true');
  });

  it('cancels the upstream stream when the client goes away', async () => {
    const upstreamClosed = new Promise((resolve) => {
      answer = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': open\n\n');
        res.on('close', () => resolve(undefined));
      };
    });
    await new Promise((resolve, reject) => {
      const req = http.get(`${frontend.origin}/mcp`, { agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve(undefined);
        });
      });
      req.on('error', () => {});
      req.on('close', () => resolve(undefined));
      setTimeout(() => reject(new Error('no data')), 3000);
    });
    await expect(upstreamClosed).resolves.toBeUndefined();
  });

  it('serves the protected resource metadata the MCP challenge points to from the MCP server', async () => {
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"resource":"x"}');
    const response = await send(frontend.origin, { path: '/.well-known/oauth-protected-resource/mcp' });
    expect(response.body).toBe('{"resource":"x"}');
    expect(mcp.requests[0].url).toBe('/.well-known/oauth-protected-resource/mcp');
    // The MCP server names the resource from these: the public origin, whatever Host the client sent.
    expect(mcp.requests[0].headers['x-forwarded-host']).toBe('todo.example');
    expect(mcp.requests[0].headers['x-forwarded-proto']).toBe('https');
  });

  it('answers other well-known URIs with 404, not with the app page', async () => {
    const response = await send(frontend.origin, { path: '/.well-known/oauth-authorization-server' });
    expect(response.status).toBe(404);
    expect(mcp.requests).toHaveLength(0);
  });

  it("holds bodies to the MCP server's limit: the largest legal call passes, a larger body is 413 and never sent on", async () => {
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const largest = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { pad: 'x'.repeat(mcpBodyLimitBytes - 100) } });
    const passed = await send(frontend.origin, { method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json' }, body: largest });
    expect(passed.status).toBe(200);
    expect(mcp.requests[0].body).toBe(largest);

    const over = largest.replace('"pad":"', '"pad":"' + 'x'.repeat(200));
    const refused = await send(frontend.origin, { method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json' }, body: over });
    expect(refused.status).toBe(413);
    expect(mcp.requests).toHaveLength(1);

    // Chunked (no declared length): cut off as it passes the limit.
    const chunked = await send(frontend.origin, {
      method: 'POST',
      path: '/mcp',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: 'y'.repeat(5 * mcpBodyLimitBytes),
    });
    expect(chunked.status).toBe(413);
    expect(mcp.requests).toHaveLength(1);
  });

  it('answers 504 when the MCP server stays silent past MCP_TIMEOUT_MS', async () => {
    const silent = await startFrontend({ backendUrl: backend.url, mcpUrl: mcp.url, staticDir: createStaticFixture(), mcpTimeoutMs: 1000 });
    answer = () => {}; // never answers
    const started = Date.now();
    const response = await send(silent.origin, { method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json' }, body: '{}' });
    await silent.app.shutdown();
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('proxies paths under /mcp, not look-alikes', async () => {
    answer = (_req, res) => res.writeHead(200).end('mcp');
    const under = await send(frontend.origin, { path: '/mcp/extra?x=1' });
    expect(under.body).toBe('mcp');
    expect(mcp.requests[0].url).toBe('/mcp/extra?x=1');

    const lookalike = await send(frontend.origin, { path: '/mcpx' });
    expect(lookalike.body).toContain('<div id="root">');
    expect(mcp.requests).toHaveLength(1);
  });
});
