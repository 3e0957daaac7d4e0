// @ts-check
import { authRoutes } from './auth-routes.js';
import { rejectsCrossSiteWrite } from './csrf.js';
import { clientOrigin } from './forwarding.js';
import { sendProblem } from './problem.js';
import { proxyTo } from './proxy.js';
import { clearSessionCookie, readSessionToken } from './session.js';

/**
 * `/api/*` to the backend. Who the caller is comes from the session cookie alone, as the bearer token; the
 * `/api/auth/*` routes travel without it, except the two that act on the signed-in user's MCP tokens. A spelling the
 * router cannot see as /api/auth (an encoded slash: "/api/auth%2Flogin") gets no session either.
 * @type {import('fastify').FastifyPluginAsync<import('./auth-routes.js').AuthRouteOptions>}
 */
export async function apiRoutes(app, options) {
  // Every call but a chat turn is bounded by the backend's own limits, so a silence past timeoutMs is a lost
  // connection (a black-holed link), not a slow answer; a chat turn may wait on a real model for minutes.
  const forward = await proxyTo(app, {
    target: options.backendUrl,
    name: 'backend',
    silenceTimeoutMs: options.chatTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    publicOrigin: options.publicOrigin,
  });

  app.addHook('onRequest', async (request, reply) => {
    if (rejectsCrossSiteWrite(request)) {
      return sendProblem(reply, 403, 'Cross-site request refused.', 'Send JSON or an X-Requested-With header from this site.');
    }
  });

  /** @param {Record<string, unknown>} headers */
  const dropCredentials = (headers) => {
    // Only the session decides who the caller is: a header a page script set is never trusted.
    delete headers.authorization;
    delete headers.cookie;
  };

  /** @type {import('fastify').RouteHandlerMethod} */
  const anonymous = (request, reply) => forward(request, reply, { rewriteRequestHeaders: dropCredentials, silenceTimeoutMs: options.timeoutMs });

  /** @param {string} [path] @returns {import('fastify').RouteHandlerMethod} */
  const withSession = (path) => (request, reply) => {
    const { secure } = clientOrigin(request, options.publicOrigin);
    const token = readSessionToken(request, secure);
    return forward(request, reply, {
      path,
      silenceTimeoutMs: isChatTurn(request) ? options.chatTimeoutMs : options.timeoutMs,
      rewriteRequestHeaders: (headers) => {
        dropCredentials(headers);
        if (token) headers.authorization = `Bearer ${token}`;
      },
      // An expired or revoked token: drop it, so the page's next /session says "signed out".
      onStatus: (status, answer) => {
        if (status === 401 && token) clearSessionCookie(answer, secure);
      },
    });
  };

  const signedInCall = withSession();
  /** @type {import('fastify').RouteHandlerMethod} */
  const everyOtherCall = (request, reply) => (namesAuth(request.url) ? anonymous : signedInCall).call(app, request, reply);

  app.all('/api', everyOtherCall);
  app.all('/api/*', everyOtherCall);
  app.all('/api/auth', anonymous);
  app.all('/api/auth/*', anonymous);
  // The backend is called on its own spelling of these, whatever spelling matched here.
  app.post('/api/auth/mcp-token', withSession('/api/auth/mcp-token'));
  app.delete('/api/auth/mcp-tokens', withSession('/api/auth/mcp-tokens'));
  await app.register(authRoutes, options);
}

/**
 * `POST /api/{user_id}/chat`, the one call that may wait on a model (the router already normalised case and slashes).
 * @param {import('fastify').FastifyRequest} request
 */
function isChatTurn(request) {
  return request.method === 'POST' && /^\/api\/[^/]+\/chat\/?$/i.test(request.url.split('?')[0] ?? '');
}

/** @param {string} url */
function namesAuth(url) {
  const path = url.split('?')[0] ?? '';
  try {
    return /^\/+api\/+auth/i.test(decodeURIComponent(path));
  } catch {
    return true;
  }
}
