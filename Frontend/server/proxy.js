// @ts-check
import { Readable } from 'node:stream';
import replyFrom from '@fastify/reply-from';
import { clientOrigin, forwardedRequestHeaders, upstreamFailure, withoutHopByHop } from './forwarding.js';

/**
 * @typedef {object} ForwardOptions
 * @property {string} [path]  the path to request upstream instead of the request's own (its query is kept)
 * @property {(headers: Record<string, unknown>) => void} [rewriteRequestHeaders]
 * @property {(status: number, reply: import('fastify').FastifyReply) => void} [onStatus]  before the answer is sent
 * @property {number} [silenceTimeoutMs]  this call's bound on upstream silence instead of the scope's
 */

/**
 * Makes `scope` (an encapsulated plugin) a streaming reverse proxy to one upstream with @fastify/reply-from: request
 * and response bodies flow through as they arrive (the MCP server's Server-Sent Events included), a client that goes
 * away cancels the upstream request, and `silenceTimeoutMs` bounds how long the upstream may stay silent (0: never),
 * `connectTimeoutMs` how long connecting may take (undici's default, 10 s, when not given).
 * @param {import('fastify').FastifyInstance} scope
 * @param {{ target: URL, name: string, silenceTimeoutMs: number, connectTimeoutMs?: number, publicOrigin: URL | undefined, bodyLimit?: number }} options
 *   bodyLimit: read request bodies whole, up to this many bytes (413 past it), instead of streaming them through
 * @returns {Promise<(request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, options?: ForwardOptions) => import('fastify').FastifyReply>}
 */
export async function proxyTo(scope, { target, name, silenceTimeoutMs, connectTimeoutMs, publicOrigin, bodyLimit }) {
  await scope.register(replyFrom, {
    base: target.origin,
    undici: {
      headersTimeout: silenceTimeoutMs,
      bodyTimeout: silenceTimeoutMs,
      ...(connectTimeoutMs ? { connect: { timeout: connectTimeoutMs } } : {}),
    },
    disableRequestLogging: true,
  });
  scope.removeAllContentTypeParsers();
  if (bodyLimit === undefined) {
    // Bodies stream through untouched; the upstream enforces its own limits.
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  } else {
    // Read whole (Fastify refuses past the limit with 413), then sent on as the stream the proxy expects.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, Readable.from([body])));
  }

  const basePath = target.pathname.replace(/\/$/, '');
  const onError = upstreamFailure(name);

  return (request, reply, { path, rewriteRequestHeaders, onStatus, silenceTimeoutMs: timeout } = {}) => {
    const origin = clientOrigin(request, publicOrigin);
    return reply.from(basePath + (path ?? request.url.split('?')[0]), {
      ...(timeout ? { timeout } : {}),
      rewriteRequestHeaders: (_request, headers) => {
        const forwarded = forwardedRequestHeaders(headers, origin);
        // A body Fastify did not read (on a GET) is not sent either: its length must not promise one.
        if (request.body === undefined) delete forwarded['content-length'];
        rewriteRequestHeaders?.(forwarded);
        return forwarded;
      },
      // Cookies are this server's alone; its own security headers are set last (onSend) and win.
      rewriteHeaders: (headers) => {
        const copy = withoutHopByHop(headers);
        delete copy['set-cookie'];
        return copy;
      },
      onResponse: (_request, _reply, upstream) => {
        const response = /** @type {{ statusCode: number, headers: Record<string, unknown>, stream: import('node:stream').Readable }} */ (
          /** @type {unknown} */ (upstream)
        );
        onStatus?.(response.statusCode, reply);
        // An event stream may stay silent for a while: the client learns at once that it is open.
        if (String(response.headers['content-type']).startsWith('text/event-stream')) {
          reply.raw.once('pipe', () => reply.raw.flushHeaders());
        }
        reply.send(response.stream);
      },
      onError: (_reply, failure) => onError(reply, failure),
      // A failed call (a 503 included) is answered at once, never retried behind the client's back.
      retryDelay: () => null,
    });
  };
}
