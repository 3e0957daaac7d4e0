// @ts-check
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { createAuthRoutes } from './auth-routes.js';
import { clientOrigin } from './client-origin.js';
import { rejectsCrossSiteWrite } from './csrf.js';
import { consoleLog } from './log.js';
import { sendJson, sendProblem } from './problem.js';
import { createProxy } from './proxy.js';
import { applySecurityHeaders } from './security-headers.js';
import { clearedSessionCookie, readSessionToken, readTokenClaims, sessionOf } from './session-cookie.js';
import { loadStaticFiles, sendStaticFile } from './static-files.js';

/**
 * The public origin of the app: the built single-page app, the session endpoints, `/api/*` proxied to the backend
 * with the session's bearer token, and `/mcp` proxied to the MCP server for external MCP clients.
 * @param {import('./config.js').ServerConfig} config
 * @param {{ now?: () => number, log?: import('./log.js').Log }} [options]
 */
export function createFrontendServer(config, { now = Date.now, log = consoleLog() } = {}) {
  const files = loadStaticFiles(config.staticDir);
  const backend = createProxy(config.backendUrl, { name: 'backend', idleTimeoutMs: config.apiTimeoutMs, log });
  // MCP event streams may stay open and silent for long: no idle timeout.
  const mcp = createProxy(config.mcpUrl, { name: 'MCP server', idleTimeoutMs: 0, log });
  const auth = createAuthRoutes({ backendUrl: config.backendUrl, timeoutMs: config.apiTimeoutMs, now, log });
  let draining = false;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      log.error('request failed', { method: req.method, path: req.url, error: String(error) });
      if (res.headersSent) res.destroy();
      else sendProblem(res, 500, 'Something went wrong.');
    });
  });

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const origin = clientOrigin(req, config.trustProxy);
    applySecurityHeaders(res, origin.protocol === 'https');
    // Prefixing the origin keeps a path like "//host" a path; URL parsing also resolves "." and ".." segments.
    const url = req.url?.startsWith('/') ? new URL(`http://frontend.invalid${req.url}`) : undefined;
    if (!url) {
      sendProblem(res, 400, 'Malformed request target.');
      return;
    }
    const path = url.pathname;
    const pathAndQuery = path + url.search;

    if (path === '/alive') return sendText(res, 200, 'Healthy');
    // Readiness fails first on shutdown so a load balancer stops sending traffic before the listener closes.
    if (path === '/health') return draining ? sendText(res, 503, 'Unhealthy') : sendText(res, 200, 'Healthy');

    if (isMcpPath(path)) {
      // External MCP clients bring their own bearer token (MCP audience); the browser session never reaches MCP.
      return mcp.forward(req, res, { path: pathAndQuery, origin, rewriteRequestHeaders: (h) => delete h.cookie });
    }

    if (path === '/session') return session(req, res, origin);

    if (path === '/api' || path.startsWith('/api/')) {
      if (rejectsCrossSiteWrite(req)) {
        sendProblem(res, 403, 'Cross-site request refused.', 'Send JSON or an X-Requested-With header from this site.');
        return;
      }
      if (req.method === 'POST' && path === '/api/auth/login') return auth.login(req, res, origin);
      if (req.method === 'POST' && path === '/api/auth/register') return auth.register(req, res, origin);
      if (req.method === 'POST' && path === '/api/auth/logout') return auth.logout(res, origin);
      return forwardToBackend(req, res, pathAndQuery, origin);
    }

    return serveApp(req, res, path);
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} pathAndQuery
   * @param {import('./client-origin.js').ClientOrigin} origin
   */
  function forwardToBackend(req, res, pathAndQuery, origin) {
    const token = readSessionToken(req.headers.cookie);
    backend.forward(req, res, {
      path: pathAndQuery,
      origin,
      rewriteRequestHeaders: (headers) => {
        // Only the session decides who the caller is: a header a page script set is never trusted.
        delete headers.authorization;
        delete headers.cookie;
        if (token) headers.authorization = `Bearer ${token}`;
      },
      rewriteResponseHeaders: (status, headers) => {
        delete headers['set-cookie'];
        // An expired or revoked token: drop it, so the page's next /session says "signed out".
        if (status === 401 && token) headers['set-cookie'] = clearedSessionCookie(origin.protocol === 'https');
      },
    });
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {import('./client-origin.js').ClientOrigin} origin
   */
  function session(req, res, origin) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendProblem(res, 405, 'Method not allowed.');
      return;
    }
    const token = readSessionToken(req.headers.cookie);
    const claims = token ? readTokenClaims(token, now()) : undefined;
    if (!claims) {
      if (token) res.setHeader('Set-Cookie', clearedSessionCookie(origin.protocol === 'https'));
      sendProblem(res, 401, 'Not signed in.');
      return;
    }
    sendJson(res, 200, sessionOf(claims));
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} path
   */
  function serveApp(req, res, path) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendProblem(res, 405, 'Method not allowed.');
      return;
    }
    let decoded;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      sendProblem(res, 400, 'Malformed path.');
      return;
    }
    const file = files.find(decoded);
    if (file) return sendStaticFile(req, res, file);
    // Anything that looks like a file, or a well-known URI, is a real 404; every other path is a route of the app.
    if (decoded.startsWith('/assets/') || decoded.startsWith('/.well-known/') || /\.[a-z0-9]+$/i.test(decoded)) {
      sendProblem(res, 404, 'Not found.');
      return;
    }
    sendStaticFile(req, res, files.index);
  }

  return {
    server,

    /** @returns {Promise<number>} the port it listens on */
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
        });
      }),

    /** Unready first, then stop accepting, let in-flight requests finish, and cut what is left at the deadline. */
    async shutdown() {
      draining = true;
      await delay(config.drainDelayMs);
      const closed = new Promise((resolve) => server.close(resolve));
      // Keep-alive connections become idle between requests: close each one as soon as it does.
      const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      server.closeIdleConnections();
      await closed;
      clearInterval(closeIdle);
      clearTimeout(deadline);
      backend.close();
      mcp.close();
    },
  };
}

/**
 * The MCP endpoint, and its OAuth protected resource metadata (RFC 9728), which the MCP server's 401 challenge points
 * MCP clients to: both must be reachable on this public origin.
 * @param {string} path
 */
function isMcpPath(path) {
  return ['/mcp', '/.well-known/oauth-protected-resource'].some((base) => path === base || path.startsWith(`${base}/`));
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 */
function sendText(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}
