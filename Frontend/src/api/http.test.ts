import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from './http';
import { ApiError, NetworkError } from './problem';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// A real HTTP server answering by path, so the client is tested over the wire, as the browser uses it.
let baseUrl = '';
const seen: Seen[] = [];
const server = http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
  switch (req.url) {
    case '/ok':
      res.writeHead(200, { 'content-type': 'application/json', etag: 'W/"5"' }).end('{"id":5,"title":"<b>hi</b>"}');
      break;
    case '/empty':
      res.writeHead(204).end();
      break;
    case '/invalid':
      res
        .writeHead(400, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ title: 'Validation failed', status: 400, errors: { title: ['Title is required.'] } }));
      break;
    case '/expired':
      res.writeHead(401, { 'content-type': 'application/problem+json' }).end('{"status":401}');
      break;
    case '/throttled':
      res.writeHead(429, { 'retry-after': '12' }).end('slow down');
      break;
    case '/broken':
      res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>');
      break;
    default:
      res.writeHead(404).end();
  }
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the API client', () => {
  it('sends JSON with the header the server requires of state-changing calls, and returns data and ETag', async () => {
    const request = createHttpClient({ baseUrl });
    const response = await request<{ id: number; title: string }>('PUT', '/ok', {
      body: { title: 'x' },
      headers: { 'If-Match': '"4"' },
    });
    expect(response).toEqual({ data: { id: 5, title: '<b>hi</b>' }, etag: 'W/"5"' });
    const last = seen.at(-1)!;
    expect(last.method).toBe('PUT');
    expect(last.body).toBe('{"title":"x"}');
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['x-requested-with']).toBe('fetch');
    expect(last.headers['if-match']).toBe('"4"');
  });

  it('sends no body and no content type without one, and reads 204 as no data', async () => {
    const response = await createHttpClient({ baseUrl })('DELETE', '/empty');
    expect(response.data).toBeUndefined();
    expect(seen.at(-1)!.headers['content-type']).toBeUndefined();
    expect(seen.at(-1)!.headers['x-requested-with']).toBe('fetch');
  });

  it('turns a ProblemDetails answer into an ApiError with field errors', async () => {
    const error = await createHttpClient({ baseUrl })('POST', '/invalid', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).fieldErrors).toEqual({ title: 'Title is required.' });
  });

  it('reports a 401 as an expired session, except where 401 means wrong credentials', async () => {
    let expiredCalls = 0;
    const request = createHttpClient({ baseUrl, onUnauthorized: () => expiredCalls++ });
    await expect(request('GET', '/expired')).rejects.toBeInstanceOf(ApiError);
    expect(expiredCalls).toBe(1);
    await expect(request('POST', '/expired', { unauthorizedIsExpected: true })).rejects.toMatchObject({ status: 401 });
    expect(expiredCalls).toBe(1);
  });

  it('reads Retry-After and survives bodies that are not JSON', async () => {
    const request = createHttpClient({ baseUrl });
    await expect(request('POST', '/throttled')).rejects.toMatchObject({ status: 429, retryAfterSeconds: 12 });
    await expect(request('GET', '/broken')).rejects.toMatchObject({ status: 500, problem: undefined });
  });

  it('reports a server it cannot reach as a NetworkError', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(createHttpClient({ baseUrl: `http://127.0.0.1:${port}` })('GET', '/ok')).rejects.toBeInstanceOf(NetworkError);
  });
});
