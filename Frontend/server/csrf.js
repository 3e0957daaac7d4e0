// @ts-check

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing API call must come from this site's own page. The session cookie is SameSite=Strict already;
 * on top of that the request must carry something a cross-site form cannot send (a JSON content type or a custom
 * header, both of which force a CORS preflight this server never grants), and modern browsers' Sec-Fetch-Site must
 * not say it came from another site.
 * @param {import('fastify').FastifyRequest} request
 */
export function rejectsCrossSiteWrite(request) {
  if (safeMethods.has(request.method)) return false;
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const mediaType = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const json = mediaType === 'application/json' || mediaType.endsWith('+json');
  return !json && !request.headers['x-requested-with'];
}
