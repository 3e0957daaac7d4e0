// @ts-check
import { clientOrigin } from './forwarding.js';
import { sendProblem } from './problem.js';
import {
  clearSessionCookie,
  deviceCookieName,
  readSessionToken,
  readTokenClaims,
  sessionCookieName,
  sessionCookieOptions,
  sessionOf,
} from './session.js';

const credentialsLimitBytes = 16 * 1024;
// Sign-out must not hang on a slow backend: the cookie is cleared whatever it answers.
const signOutCallTimeoutMs = 5000;

/**
 * @typedef {object} AuthRouteOptions
 * @property {URL} backendUrl
 * @property {URL | undefined} publicOrigin
 * @property {number} timeoutMs  a backend call's bound on silence (every /api call but a chat turn)
 * @property {number} chatTimeoutMs  a chat turn's
 * @property {number} connectTimeoutMs  connecting to the backend
 * @property {number} signInsPerMinute
 * @property {number} signUpsPerHour
 * @property {() => number} now
 */

/**
 * Sign-in, sign-up and sign-out, done here so the browser never sees the access token: the backend's token goes
 * into an httpOnly cookie and the page only learns who is signed in. The router matches these the way the backend's
 * does (any letter case, a trailing slash, percent-encoded letters), so no spelling of them reaches the backend
 * through the proxy instead. Each client address has its own token buckets for sign-in and for sign-up.
 * @type {import('fastify').FastifyPluginAsync<AuthRouteOptions>}
 */
export async function authRoutes(app, { backendUrl, publicOrigin, timeoutMs, signInsPerMinute, signUpsPerHour, now }) {
  // Credentials are read whole (and small) here, so a slow body never reaches the backend.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: credentialsLimitBytes }, (_request, body, done) => done(null, body));

  /**
   * @param {import('fastify').FastifyRequest} request
   * @param {string} path
   * @param {{ body?: Buffer, token?: string, deviceToken?: string, timeoutMs?: number }} options
   */
  async function callBackend(request, path, { body, token, deviceToken, timeoutMs: timeout = timeoutMs }) {
    const origin = clientOrigin(request, publicOrigin);
    /** @type {Record<string, string>} */
    const headers = {
      accept: 'application/json, application/problem+json',
      'x-forwarded-for': origin.address,
      'x-forwarded-proto': origin.secure ? 'https' : 'http',
    };
    if (origin.host) headers['x-forwarded-host'] = origin.host;
    if (body) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    if (deviceToken) headers['x-device-token'] = deviceToken;
    const response = await fetch(new URL(path, backendUrl), {
      method: 'POST',
      headers,
      body: body ? new Uint8Array(body) : undefined,
      signal: AbortSignal.timeout(timeout),
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  /**
   * Signs in with the backend and keeps its token in the session cookie.
   * @param {import('fastify').FastifyRequest} request
   * @param {import('fastify').FastifyReply} reply
   * @param {Buffer} credentials
   */
  async function signIn(request, reply, credentials) {
    const { secure } = clientOrigin(request, publicOrigin);
    const deviceToken = request.cookies[deviceCookieName(secure)] || undefined;
    const answer = await callBackend(request, '/api/auth/login', { body: credentials, deviceToken });
    if (answer.status !== 200) return answer;
    const login = JSON.parse(answer.body.toString('utf8'));
    const claims = readTokenClaims(String(login.access_token ?? ''), now());
    if (!claims) throw new Error('the backend answered the login without a usable access token');
    const lifetime = typeof login.expires_in === 'number' ? login.expires_in : (claims.expiresAt - now()) / 1000;
    reply.setCookie(sessionCookieName(secure), login.access_token, sessionCookieOptions(secure, lifetime));
    if (typeof login.device_token === 'string' && typeof login.device_token_expires_in === 'number') {
      reply.setCookie(deviceCookieName(secure), login.device_token, sessionCookieOptions(secure, login.device_token_expires_in));
    }
    return sessionOf(claims);
  }

  /**
   * @param {import('fastify').FastifyRequest} request
   * @param {import('fastify').FastifyReply} reply
   * @param {() => Promise<unknown>} action
   */
  async function guarded(request, reply, action) {
    try {
      return await action();
    } catch (error) {
      request.log.warn({ path: request.routeOptions.url, error: String(error) }, 'sign-in call to the backend failed');
      return sendProblem(reply, 502, 'The backend is unavailable.', 'Try again in a moment.');
    }
  }

  app.post(
    '/api/auth/login',
    { config: { rateLimit: { max: signInsPerMinute, timeWindow: 60_000 } } },
    (request, reply) =>
      guarded(request, reply, async () => {
        const result = await signIn(request, reply, /** @type {Buffer} */ (request.body));
        return 'status' in result ? relay(reply, result) : reply.header('cache-control', 'no-store').send(result);
      }),
  );

  // Creates the account, then signs in with the same credentials so a new user lands in the app.
  app.post(
    '/api/auth/register',
    { config: { rateLimit: { max: signUpsPerHour, timeWindow: 3_600_000 } } },
    (request, reply) =>
      guarded(request, reply, async () => {
        const credentials = /** @type {Buffer} */ (request.body);
        const created = await callBackend(request, '/api/auth/register', { body: credentials });
        if (created.status === 201) {
          const signedIn = await signIn(request, reply, credentials);
          if ('status' in signedIn) request.log.warn({ status: signedIn.status }, 'a new account could not sign in straight away');
          const location = created.headers.get('location');
          if (location) reply.header('location', location);
        }
        return relay(reply, created);
      }),
  );

  // Ends the session's token at the backend where it can, then clears the cookie whatever the backend said.
  app.post('/api/auth/logout', async (request, reply) => {
    const { secure } = clientOrigin(request, publicOrigin);
    const token = readSessionToken(request, secure);
    if (token) {
      try {
        const answer = await callBackend(request, '/api/auth/logout', { token, timeoutMs: Math.min(timeoutMs, signOutCallTimeoutMs) });
        if (answer.status !== 204) request.log.warn({ status: answer.status }, 'the backend did not end the session');
      } catch (error) {
        request.log.warn({ error: String(error) }, 'the backend could not be told about a sign-out');
      }
    }
    clearSessionCookie(reply, secure);
    return reply.code(204).header('cache-control', 'no-store').send();
  });
}

/**
 * Passes a backend answer (a ProblemDetails body, a 429's Retry-After) on unchanged.
 * @param {import('fastify').FastifyReply} reply
 * @param {{ status: number, headers: Headers, body: Buffer }} answer
 */
function relay(reply, answer) {
  reply.code(answer.status).header('cache-control', 'no-store');
  for (const name of ['content-type', 'retry-after', 'www-authenticate']) {
    const value = answer.headers.get(name);
    if (value) reply.header(name, value);
  }
  return reply.send(answer.body);
}
