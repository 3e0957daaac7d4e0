// @ts-check

/** Holds the backend's access token; httpOnly, so no script in the page can read it. */
export const sessionCookieName = 'phase4_session';

/**
 * @param {string | undefined} cookieHeader
 * @returns {string | undefined}
 */
export function readSessionToken(cookieHeader) {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === sessionCookieName) {
      const value = part.slice(separator + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/**
 * @param {string} token
 * @param {number} maxAgeSeconds  the token's own lifetime: the cookie must not outlive it
 * @param {boolean} secure
 */
export function sessionCookie(token, maxAgeSeconds, secure) {
  return serialize(token, Math.max(0, Math.floor(maxAgeSeconds)), secure);
}

/** @param {boolean} secure */
export function clearedSessionCookie(secure) {
  return serialize('', 0, secure);
}

/**
 * @param {string} value
 * @param {number} maxAge
 * @param {boolean} secure
 */
function serialize(value, maxAge, secure) {
  const attributes = [`${sessionCookieName}=${value}`, 'Path=/', `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
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
