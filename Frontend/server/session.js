// @ts-check

/**
 * The session cookie holds the backend's access token; httpOnly, so no script in the page can read it. Over https it
 * carries the `__Host-` prefix: browsers then only accept it Secure, for Path=/ and without a Domain, so a sibling
 * subdomain cannot plant or overwrite it (RFC 6265bis §4.1.3.2).
 * @param {boolean} secure
 */
export function sessionCookieName(secure) {
  return secure ? '__Host-phase4_session' : 'phase4_session';
}

/**
 * @param {boolean} secure
 * @param {number} maxAgeSeconds  the token's own lifetime: the cookie must not outlive it
 * @returns {import('@fastify/cookie').CookieSerializeOptions}
 */
export function sessionCookieOptions(secure, maxAgeSeconds) {
  return { path: '/', maxAge: Math.max(0, Math.floor(maxAgeSeconds)), httpOnly: true, sameSite: 'strict', secure };
}

/**
 * @param {import('fastify').FastifyRequest} request
 * @param {boolean} secure
 */
export function readSessionToken(request, secure) {
  return request.cookies[sessionCookieName(secure)] || undefined;
}

/**
 * @param {import('fastify').FastifyReply} reply
 * @param {boolean} secure
 */
export function clearSessionCookie(reply, secure) {
  reply.setCookie(sessionCookieName(secure), '', sessionCookieOptions(secure, 0));
}

/**
 * The claims the page needs to know who is signed in. Deliberately not a signature check: the token never leaves
 * this server except toward the backend, which validates it on every call, so a forged cookie can only change what
 * its own browser displays before its first API call fails.
 * @param {string} token
 * @param {number} nowMs
 * @returns {{ userId: string, email: string, expiresAt: number } | undefined}
 */
export function readTokenClaims(token, nowMs) {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  /** @type {unknown} */
  let claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { sub, email, exp } = /** @type {Record<string, unknown>} */ (claims);
  if (typeof sub !== 'string' || typeof exp !== 'number' || exp * 1000 <= nowMs) return undefined;
  return { userId: sub, email: typeof email === 'string' ? email : '', expiresAt: exp * 1000 };
}

/**
 * What the page learns about the session (never the token): GET /session and a successful sign-in answer this.
 * @param {{ userId: string, email: string, expiresAt: number }} claims
 */
export function sessionOf(claims) {
  return { user_id: claims.userId, email: claims.email, expires_at: new Date(claims.expiresAt).toISOString() };
}

/**
 * The device cookie (OWASP's device cookie): the backend's device token from the last successful sign-in on this
 * browser, sent back on the next sign-in so this device keeps its own failure budget while guessers elsewhere lock the
 * account for everyone else. httpOnly like the session, and it outlives sign-out: it is about the device.
 * @param {boolean} secure
 */
export function deviceCookieName(secure) {
  return secure ? '__Host-phase4_device' : 'phase4_device';
}
