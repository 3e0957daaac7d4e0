// Real HTTP on loopback: a recording fake upstream (standing in for the backend or the MCP server), the frontend
// server under test on a free port, and a plain http client that shows exactly what went over the wire.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createFrontendServer } from '../../../server/app.js';

/**
 * @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders, body: string }} RecordedRequest
 * @typedef {(req: http.IncomingMessage, res: http.ServerResponse, recorded: RecordedRequest) => void | Promise<void>} UpstreamHandler
 */

/** @param {UpstreamHandler} handler */
export async function startUpstream(handler) {
  /** @type {RecordedRequest[]} */
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const recorded = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(recorded);
    await handler(req, res, recorded);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * A fake upstream that answers from a table of "METHOD /path" → handler (404 for anything else); `reset()` empties
 * the table and the recorded requests between tests.
 */
export async function startScriptedUpstream() {
  /** @type {Record<string, (res: http.ServerResponse) => void>} */
  const answers = {};
  const upstream = await startUpstream((req, res) => {
    const answer = answers[`${req.method} ${req.url}`];
    if (answer) answer(res);
    else res.writeHead(404).end();
  });
  return Object.assign(upstream, {
    answers,
    reset() {
      for (const key of Object.keys(answers)) delete answers[key];
      upstream.requests.length = 0;
    },
  });
}

/** A built app's shape: an index page and a hashed asset big enough to be compressed, with its gzipped copy. */
export function createStaticFixture() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'phase4-frontend-dist-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head><body><div id="root"></div></body></html>',
  );
  const asset = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;
  fs.writeFileSync(path.join(root, 'assets', 'app-1a2b3c.js'), asset);
  fs.writeFileSync(path.join(root, 'assets', 'app-1a2b3c.js.gz'), gzipSync(asset));
  fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
  return root;
}

/**
 * @typedef {import('../../../server/config.js').ServerConfig} ServerConfig
 * @param {Partial<ServerConfig> & { backendUrl: URL, mcpUrl: URL, staticDir: string, now?: () => number }} options
 */
export async function startFrontend({ now, ...overrides }) {
  const app = createFrontendServer(
    {
      port: 0,
      host: '127.0.0.1',
      publicOrigin: undefined,
      trustedProxies: [],
      drainDelayMs: 0,
      shutdownTimeoutMs: 2000,
      apiTimeoutMs: 5000,
      chatTimeoutMs: 5000,
      upstreamConnectTimeoutMs: 3000,
      requestReadTimeoutMs: 10000,
      responseIdleTimeoutMs: 30000,
      responseTimeoutMs: 120000,
      mcpTimeoutMs: 5000,
      signInsPerMinute: 100,
      signUpsPerHour: 100,
      ...overrides,
    },
    { logLevel: 'silent', ...(now ? { now } : {}) },
  );
  const port = await app.listen();
  return { origin: `http://127.0.0.1:${port}`, port, app };
}

/**
 * @param {string} origin
 * @param {{ method?: string, path: string, headers?: http.OutgoingHttpHeaders, body?: string, localAddress?: string }} request
 *   localAddress: the client's own address (127.0.0.2, 127.0.0.3, … are all this machine's loopback)
 * @returns {Promise<{ status: number, headers: http.IncomingHttpHeaders, body: string, raw: Buffer }>}
 */
export function send(origin, { method = 'GET', path: requestPath, headers = {}, body, localAddress }) {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: url.hostname, port: url.port, method, path: requestPath, headers, agent: false, localAddress },
      async (res) => {
        const chunks = [];
        for await (const chunk of res) chunks.push(chunk);
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An unsigned JWT with the claims the server reads; the backend is what checks signatures. */
export function fakeToken({ sub = '6f1c1f8e-1d1b-4b8e-9d55-3f7c2a1b0c9d', email = 'ada@example.com', expiresInSeconds = 3600, nowMs = Date.now() } = {}) {
  const encode = (/** @type {object} */ value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(nowMs / 1000) + expiresInSeconds;
  return `${encode({ alg: 'ES256', typ: 'JWT' })}.${encode({ sub, email, exp })}.c2lnbmF0dXJl`;
}

/**
 * @param {string | string[] | undefined} setCookie
 * @returns {string}
 */
export function sessionSetCookie(setCookie) {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = all.find((cookie) => /^(__Host-)?phase4_session=/.test(cookie));
  if (!found) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
  return found;
}

/** @param {string} setCookie */
export function cookieAttributes(setCookie) {
  return setCookie
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());
}
