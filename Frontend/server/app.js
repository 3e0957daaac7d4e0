// @ts-check
import { setTimeout as delay } from 'node:timers/promises';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { LogController } from 'fastify';
import { apiRoutes } from './api-routes.js';
import { clientOrigin } from './forwarding.js';
import { problemErrorHandler, sendProblem } from './problem.js';
import { proxyTo } from './proxy.js';
import { applySecurityHeaders } from './security-headers.js';
import { clearSessionCookie, readSessionToken, readTokenClaims, sessionOf } from './session.js';
import { staticApp } from './static-app.js';
import { TokenBucketStore } from './token-bucket-store.js';

/**
 * The public origin of the app: the built single-page app, the session endpoints, `/api/*` proxied to the backend
 * with the session's bearer token, and `/mcp` proxied to the MCP server for external MCP clients.
 * @param {import('./config.js').ServerConfig} config
 * @param {{ now?: () => number, logLevel?: string }} [options]
 */
export function createFrontendServer(config, { now = Date.now, logLevel = 'info' } = {}) {
  let draining = false;
  const app = Fastify({
    // One JSON line per event on stdout, which is what Aspire's dashboard and `kubectl logs` show.
    logger: {
      level: logLevel,
      messageKey: 'message',
      base: undefined,
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    logController: new OneLinePerRequest(),
    // Matched as the backend's ASP.NET Core router does: any letter case, an optional trailing slash (and repeated
    // slashes, so no spelling of a route this server owns slips past it).
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    rewriteUrl: (req) => normalizedTarget(req.url ?? ''),
    // X-Forwarded-For is believed only from the configured proxies (the ingress controller's pods): the client is the
    // last entry that is not one of them. A peer that is not a configured proxy is the client, whatever it claims.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // The whole request, headers and body, must arrive within this: a trickled body cannot hold a connection (nor,
    // through the proxy, a backend slot). It does not limit how long an answer or an event stream may take.
    requestTimeout: config.requestReadTimeoutMs,
    http: {
      headersTimeout: config.requestReadTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.requestReadTimeoutMs / 4))),
    },
  });
  app.setErrorHandler(problemErrorHandler);
  app.addHook('onRequest', async (request, reply) => {
    clientOrigin(request, config.publicOrigin);
    if (!request.originalUrl.startsWith('/')) return sendProblem(reply, 400, 'Malformed request target.');
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    applySecurityHeaders(reply, clientOrigin(request, config.publicOrigin).secure);
    limitSlowReaders(request, reply, config);
    done(null, payload);
  });
  app.register(fastifyCookie);
  app.register(fastifyRateLimit, {
    global: false,
    store: TokenBucketStore,
    errorResponseBuilder: () => Object.assign(new Error('Too many attempts from this address: wait a moment.'), { statusCode: 429 }),
  });

  app.get('/alive', (_request, reply) => sendText(reply, 200, 'Healthy'));
  // Readiness fails first on shutdown so a load balancer stops sending traffic before the listener closes.
  app.get('/health', (_request, reply) => (draining ? sendText(reply, 503, 'Unhealthy') : sendText(reply, 200, 'Healthy')));

  app.get('/session', (request, reply) => {
    const { secure } = clientOrigin(request, config.publicOrigin);
    const token = readSessionToken(request, secure);
    const claims = token ? readTokenClaims(token, now()) : undefined;
    if (!claims) {
      if (token) clearSessionCookie(reply, secure);
      return sendProblem(reply, 401, 'Not signed in.');
    }
    return reply.header('cache-control', 'no-store').send(sessionOf(claims));
  });

  app.register(apiRoutes, {
    backendUrl: config.backendUrl,
    publicOrigin: config.publicOrigin,
    timeoutMs: config.apiTimeoutMs,
    chatTimeoutMs: config.chatTimeoutMs,
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
    signInsPerMinute: config.signInsPerMinute,
    signUpsPerHour: config.signUpsPerHour,
    now,
  });

  // External MCP clients bring their own bearer token (MCP audience); the browser session never reaches MCP. The
  // OAuth protected resource metadata (RFC 9728) the MCP server's 401 points to must be on this origin too. Bodies
  // are held to the MCP server's own limit (read here first, so no larger one is streamed on), and the server may stay
  // silent for MCP_TIMEOUT_MS at most (it is stateless: every answer ends once the call is done).
  app.register(async (scope) => {
    const forward = await proxyTo(scope, {
      target: config.mcpUrl,
      name: 'MCP server',
      silenceTimeoutMs: config.mcpTimeoutMs,
      connectTimeoutMs: config.upstreamConnectTimeoutMs,
      publicOrigin: config.publicOrigin,
      bodyLimit: mcpBodyLimitBytes,
    });
    /** @type {import('fastify').RouteHandlerMethod} */
    const toMcp = (request, reply) => forward(request, reply, { rewriteRequestHeaders: (headers) => delete headers.cookie });
    for (const path of ['/mcp', '/mcp/*', '/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/*']) {
      scope.all(path, toMcp);
    }
  });

  app.register(staticApp, { staticDir: config.staticDir });

  return {
    app,

    /** @returns {Promise<number>} the port it listens on */
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      return /** @type {import('node:net').AddressInfo} */ (app.server.address()).port;
    },

    /** Unready first, then stop accepting, let in-flight requests finish, and cut what is left at the deadline. */
    async shutdown() {
      draining = true;
      await delay(config.drainDelayMs);
      const closed = app.close();
      // Keep-alive connections become idle between requests: close each one as soon as it does.
      const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearInterval(closeIdle);
      clearTimeout(deadline);
    },
  };
}

/**
 * The MCP server's request body limit (McpServer/Limits/McpLimitOptions.cs, MaxRequestBodyBytes): the largest legal
 * MCP message to it with room to spare. A larger body is refused here with 413 before it is read.
 */
export const mcpBodyLimitBytes = 16 * 1024;

/**
 * A response, once started, must be taken: a client that reads nothing for RESPONSE_IDLE_TIMEOUT_MS, or has not read
 * the whole of it within RESPONSE_TIMEOUT_MS (event streams excepted), is cut off, and with it the upstream call whose
 * body it was holding back. Slow senders are bounded by REQUEST_READ_TIMEOUT_MS; the wait for an upstream's answer by
 * API_TIMEOUT_MS and MCP_TIMEOUT_MS.
 * @param {import('fastify').FastifyRequest} request
 * @param {import('fastify').FastifyReply} reply
 * @param {import('./config.js').ServerConfig} config
 */
function limitSlowReaders(request, reply, config) {
  const socket = request.raw.socket;
  if (!socket || socket.destroyed) return;
  const cutOff = () => socket.destroy();
  socket.setTimeout(config.responseIdleTimeoutMs, cutOff);
  const eventStream = String(reply.getHeader('content-type') ?? '').startsWith('text/event-stream');
  const deadline = eventStream ? undefined : setTimeout(cutOff, config.responseTimeoutMs);
  reply.raw.once('close', () => {
    clearTimeout(deadline);
    // The connection may serve another request (keep-alive): the idle limit is for responses only.
    socket.setTimeout(0, cutOff);
    socket.removeListener('timeout', cutOff);
  });
}

/** One line per request (none for the probes), where Fastify would write two. */
class OneLinePerRequest extends LogController {
  incomingRequest() {}

  /**
   * @param {Error | null | undefined} error
   * @param {import('fastify').FastifyRequest} request
   * @param {import('fastify').FastifyReply} reply
   */
  requestCompleted(error, request, reply) {
    if (request.routeOptions.url === '/alive' || request.routeOptions.url === '/health') return;
    const fields = { method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) request.log.error({ ...fields, error: String(error) }, 'request failed');
    else request.log.info(fields, 'request');
  }
}

/**
 * Resolves "." and ".." segments (percent-encoded ones too) before routing, as the backend's server does, so the
 * router and the upstream see the same path. A target that is not a path (absolute-form, "*") is left as it is and
 * answered 400.
 * @param {string} target
 */
function normalizedTarget(target) {
  if (!target.startsWith('/')) return target;
  // Prefixing an origin keeps a path like "//host" a path.
  const url = new URL(`http://frontend.invalid${target}`);
  return url.pathname + url.search;
}

/**
 * @param {import('fastify').FastifyReply} reply
 * @param {number} status
 * @param {string} text
 */
function sendText(reply, status, text) {
  return reply.code(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(text);
}
