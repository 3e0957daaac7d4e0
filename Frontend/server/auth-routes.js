// @ts-check
import { sendJson, sendProblem } from './problem.js';
import { BodyTooLargeError, readBody } from './request-body.js';
import { clearedSessionCookie, readTokenClaims, sessionCookie, sessionOf } from './session-cookie.js';

const credentialsLimitBytes = 16 * 1024;

/**
 * Sign-in, sign-up and sign-out, done here so the browser never sees the access token: the backend's token goes
 * into an httpOnly cookie and the page only learns who is signed in.
 * @param {{ backendUrl: URL, timeoutMs: number, now: () => number, log: import('./log.js').Log }} options
 */
export function createAuthRoutes({ backendUrl, timeoutMs, now, log }) {
  /**
   * @param {string} path
   * @param {Buffer} body
   * @param {import('./client-origin.js').ClientOrigin} origin
   */
  async function callBackend(path, body, origin) {
    /** @type {Record<string, string>} */
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, application/problem+json',
      'x-forwarded-for': origin.address,
      'x-forwarded-proto': origin.protocol,
    };
    if (origin.host) headers['x-forwarded-host'] = origin.host;
    const response = await fetch(new URL(path, backendUrl), {
      method: 'POST',
      headers,
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {() => Promise<void>} action
   */
  async function guarded(req, res, action) {
    try {
      await action();
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendProblem(res, 413, 'The request body is too large.');
        return;
      }
      log.warn('sign-in call to the backend failed', { path: req.url, error: String(error) });
      sendProblem(res, 502, 'The backend is unavailable.', 'Try again in a moment.');
    }
  }

  /**
   * Signs in with the backend and keeps its token in the session cookie.
   * @param {Buffer} credentials
   * @param {import('./client-origin.js').ClientOrigin} origin
   * @returns {Promise<{ signedIn: true, cookie: string, session: { user_id: string, email: string, expires_at: string } } | { signedIn: false, failure: { status: number, headers: Headers, body: Buffer } }>}
   */
  async function signIn(credentials, origin) {
    const answer = await callBackend('/api/auth/login', credentials, origin);
    if (answer.status !== 200) return { signedIn: false, failure: answer };
    const login = JSON.parse(answer.body.toString('utf8'));
    const claims = readTokenClaims(String(login.access_token ?? ''), now());
    if (!claims) throw new Error('the backend answered the login without a usable access token');
    const lifetime = typeof login.expires_in === 'number' ? login.expires_in : (claims.expiresAt - now()) / 1000;
    return {
      signedIn: true,
      cookie: sessionCookie(login.access_token, lifetime, origin.protocol === 'https'),
      session: sessionOf(claims),
    };
  }

  return {
    /**
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:http').ServerResponse} res
     * @param {import('./client-origin.js').ClientOrigin} origin
     */
    login: (req, res, origin) =>
      guarded(req, res, async () => {
        const result = await signIn(await readBody(req, credentialsLimitBytes), origin);
        if (!result.signedIn) {
          relay(res, result.failure);
          return;
        }
        res.setHeader('Set-Cookie', result.cookie);
        sendJson(res, 200, result.session);
      }),

    /**
     * Creates the account, then signs in with the same credentials so a new user lands in the app.
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:http').ServerResponse} res
     * @param {import('./client-origin.js').ClientOrigin} origin
     */
    register: (req, res, origin) =>
      guarded(req, res, async () => {
        const credentials = await readBody(req, credentialsLimitBytes);
        const created = await callBackend('/api/auth/register', credentials, origin);
        if (created.status !== 201) {
          relay(res, created);
          return;
        }
        const result = await signIn(credentials, origin);
        if (result.signedIn) res.setHeader('Set-Cookie', result.cookie);
        else log.warn('a new account could not sign in straight away', { status: result.failure.status });
        const location = created.headers.get('location');
        if (location) res.setHeader('Location', location);
        relay(res, created);
      }),

    /**
     * @param {import('node:http').ServerResponse} res
     * @param {import('./client-origin.js').ClientOrigin} origin
     */
    logout: (res, origin) => {
      res.setHeader('Set-Cookie', clearedSessionCookie(origin.protocol === 'https'));
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
    },
  };
}

/**
 * Passes a backend answer (a ProblemDetails body, a 429's Retry-After) on unchanged.
 * @param {import('node:http').ServerResponse} res
 * @param {{ status: number, headers: Headers, body: Buffer }} answer
 */
function relay(res, answer) {
  /** @type {Record<string, string>} */
  const headers = { 'Cache-Control': 'no-store', 'Content-Length': String(answer.body.length) };
  for (const name of ['content-type', 'retry-after', 'www-authenticate']) {
    const value = answer.headers.get(name);
    if (value) headers[name] = value;
  }
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}
