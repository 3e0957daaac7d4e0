// @ts-check
import http from 'node:http';
import https from 'node:https';
import { sendProblem } from './problem.js';

// Connection-scoped headers (RFC 9110 §7.6.1) and the ones this proxy owns: never copied from one hop to the next.
const notForwarded = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
]);

/**
 * @typedef {import('./client-origin.js').ClientOrigin} ClientOrigin
 * @typedef {import('node:http').OutgoingHttpHeaders} OutgoingHttpHeaders
 *
 * @typedef {object} ForwardOptions
 * @property {string} path  path and query to request upstream
 * @property {ClientOrigin} origin
 * @property {(headers: OutgoingHttpHeaders) => void} [rewriteRequestHeaders]
 * @property {(status: number, headers: OutgoingHttpHeaders) => void} [rewriteResponseHeaders]
 */

/**
 * A streaming reverse proxy to one upstream: bodies flow through in both directions as they arrive (Server-Sent
 * Events from the MCP server included), and a client that goes away cancels the upstream request.
 * @param {URL} target
 * @param {{ name: string, idleTimeoutMs: number, log: import('./log.js').Log }} options
 */
export function createProxy(target, { name, idleTimeoutMs, log }) {
  const transport = target.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true });
  const basePath = target.pathname.replace(/\/$/, '');

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {ForwardOptions} options
   */
  function forward(req, res, { path, origin, rewriteRequestHeaders, rewriteResponseHeaders }) {
    const headers = copyEndToEndHeaders(req.headers);
    headers.host = target.host;
    headers['x-forwarded-for'] = origin.address;
    headers['x-forwarded-proto'] = origin.protocol;
    if (origin.host) headers['x-forwarded-host'] = origin.host;
    rewriteRequestHeaders?.(headers);

    const upstream = transport.request({
      agent,
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: basePath + path,
      headers,
    });

    if (idleTimeoutMs > 0) {
      upstream.setTimeout(idleTimeoutMs, () => {
        upstream.destroy(new Error(`${name} sent nothing for ${idleTimeoutMs} ms`));
      });
    }

    upstream.on('response', (upstreamRes) => {
      const status = upstreamRes.statusCode ?? 502;
      const responseHeaders = copyEndToEndHeaders(upstreamRes.headers);
      // This server's own security headers win over anything upstream says.
      for (const header of Object.keys(responseHeaders)) {
        if (res.hasHeader(header)) delete responseHeaders[header];
      }
      rewriteResponseHeaders?.(status, responseHeaders);
      res.writeHead(status, responseHeaders);
      // An event stream may stay silent for a while: the client learns at once that it is open.
      res.flushHeaders();
      upstreamRes.pipe(res);
      upstreamRes.on('error', () => res.destroy());
    });

    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const timedOut = error.message.includes('sent nothing');
      log.warn(`${name} request failed`, { method: req.method, path, error: error.message });
      sendProblem(
        res,
        timedOut ? 504 : 502,
        timedOut ? `The ${name} took too long to answer.` : `The ${name} is unavailable.`,
        'Try again in a moment.',
      );
    });

    const started = performance.now();
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      log.info(`${name} call`, {
        method: req.method,
        path: path.split('?')[0],
        status: res.statusCode,
        completed: res.writableFinished,
        ms: Math.round(performance.now() - started),
      });
    });

    req.pipe(upstream);
  }

  return { forward, close: () => agent.destroy() };
}

/**
 * @param {import('node:http').IncomingHttpHeaders} source
 * @returns {OutgoingHttpHeaders}
 */
function copyEndToEndHeaders(source) {
  const connectionTokens = new Set(
    String(source.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  /** @type {OutgoingHttpHeaders} */
  const copy = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || notForwarded.has(name) || connectionTokens.has(name)) continue;
    copy[name] = value;
  }
  return copy;
}
