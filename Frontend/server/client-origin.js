// @ts-check

/**
 * Where a request came from, as this server tells the backend through X-Forwarded-For / -Proto.
 * @typedef {object} ClientOrigin
 * @property {string} address  the client's IP address
 * @property {'http' | 'https'} protocol  the scheme the browser used
 * @property {string | undefined} host  the Host the browser used
 */

/**
 * X-Forwarded-For is trusted only behind a configured ingress (TRUST_PROXY), else anyone could pick the address the
 * backend throttles and logs. X-Forwarded-Proto is always honoured: claiming https only makes the session cookie
 * Secure, which can only make it stricter.
 * @param {import('node:http').IncomingMessage} req
 * @param {boolean} trustProxy
 * @returns {ClientOrigin}
 */
export function clientOrigin(req, trustProxy) {
  const socketAddress = normalizeAddress(req.socket.remoteAddress ?? '');
  const forwardedFor = trustProxy ? lastListValue(req.headers['x-forwarded-for']) : undefined;
  const tls = 'encrypted' in req.socket && req.socket.encrypted === true;
  const forwardedProto = firstListValue(req.headers['x-forwarded-proto'])?.toLowerCase();
  return {
    address: forwardedFor ? normalizeAddress(forwardedFor) : socketAddress,
    protocol: tls || forwardedProto === 'https' ? 'https' : 'http',
    host: req.headers.host,
  };
}

/** @param {string} address */
function normalizeAddress(address) {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/** @param {string | string[] | undefined} header */
function firstListValue(header) {
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined?.split(',')[0]?.trim() || undefined;
}

/** @param {string | string[] | undefined} header */
function lastListValue(header) {
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined?.split(',').at(-1)?.trim() || undefined;
}
