// @ts-check
import { sendProblem } from './problem.js';

// Connection-scoped headers (RFC 9110 §7.6.1) and the ones this proxy owns: never copied from one hop to the next.
const notForwarded = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
];

/**
 * Where a request came from, as this server tells the backend and the MCP server.
 * @typedef {object} ClientOrigin
 * @property {string} address  the client's IP address (Fastify reads X-Forwarded-For only from TRUSTED_PROXIES)
 * @property {boolean} secure  whether the browser uses https
 * @property {string | undefined} host  the public host, from PUBLIC_ORIGIN only: a client's Host is never passed on
 */

/** @type {WeakMap<import('fastify').FastifyRequest, ClientOrigin>} */
const origins = new WeakMap();

/**
 * Read once, when the request arrives (the socket is gone once a proxied body has been sent on).
 * With PUBLIC_ORIGIN its scheme decides; without, a TLS socket or X-Forwarded-Proto: https (always honoured:
 * claiming https only makes the session cookie Secure and prefixed, which can only make it stricter).
 * @param {import('fastify').FastifyRequest} request
 * @param {URL | undefined} publicOrigin
 * @returns {ClientOrigin}
 */
export function clientOrigin(request, publicOrigin) {
  const known = origins.get(request);
  if (known) return known;
  const socket = /** @type {import('node:net').Socket & { encrypted?: boolean }} */ (request.raw.socket);
  const forwardedProto = String(request.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase();
  const origin = {
    address: request.ip.startsWith('::ffff:') ? request.ip.slice('::ffff:'.length) : request.ip,
    secure: publicOrigin ? publicOrigin.protocol === 'https:' : socket.encrypted === true || forwardedProto === 'https',
    host: publicOrigin?.host,
  };
  origins.set(request, origin);
  return origin;
}

/**
 * The request headers for the next hop: hop-by-hop and forwarding headers replaced by this server's own.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {ClientOrigin} origin
 */
export function forwardedRequestHeaders(headers, origin) {
  const copy = withoutHopByHop(headers);
  copy['x-forwarded-for'] = origin.address;
  copy['x-forwarded-proto'] = origin.secure ? 'https' : 'http';
  if (origin.host) copy['x-forwarded-host'] = origin.host;
  return copy;
}

/**
 * @template {Record<string, unknown>} T
 * @param {T} headers
 * @returns {T}
 */
export function withoutHopByHop(headers) {
  const copy = { ...headers };
  // Headers the Connection header names are connection-scoped too.
  for (const name of String(headers.connection ?? '').split(',')) delete copy[name.trim().toLowerCase()];
  for (const name of notForwarded) delete copy[name];
  return copy;
}

/**
 * Answers a failed upstream call with a ProblemDetails body: 504 when it stayed silent too long, else 502.
 * @param {string} name  the upstream, as a user reads it ("backend", "MCP server")
 * @returns {(reply: import('fastify').FastifyReply, failure: { error: Error & { statusCode?: number } }) => void}
 */
export function upstreamFailure(name) {
  return (reply, { error }) => {
    const timedOut = error.statusCode === 504;
    reply.log.warn({ method: reply.request.method, path: reply.request.routeOptions.url, error: error.message }, `${name} request failed`);
    sendProblem(reply, timedOut ? 504 : 502, timedOut ? `The ${name} took too long to answer.` : `The ${name} is unavailable.`, 'Try again in a moment.');
  };
}
