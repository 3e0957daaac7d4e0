// @ts-check

/**
 * Answers with an RFC 9457 ProblemDetails body, the same error shape the backend uses.
 * @param {import('fastify').FastifyReply} reply
 * @param {number} status
 * @param {string} title
 * @param {string} [detail]
 */
export function sendProblem(reply, status, title, detail) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/problem+json')
    // A Buffer, so Fastify adds no charset parameter: the same Content-Type as the backend's problems.
    .send(Buffer.from(JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}) })));
}

/** @type {Record<number, string>} */
const titles = {
  400: 'Bad request.',
  404: 'Not found.',
  408: 'The request took too long to arrive.',
  413: 'The request body is too large.',
  415: 'Unsupported media type.',
};

/**
 * Every error Fastify or a plugin raises (a bad URL, an oversized body, a refused rate) as a ProblemDetails body; an
 * unexpected failure says nothing about itself to the client and is logged.
 * @param {import('fastify').FastifyError} error
 * @param {import('fastify').FastifyRequest} request
 * @param {import('fastify').FastifyReply} reply
 */
export function problemErrorHandler(error, request, reply) {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) {
    request.log.error({ method: request.method, path: request.routeOptions.url, error: String(error) }, "request failed");
    return sendProblem(reply, 500, 'Something went wrong.');
  }
  return sendProblem(reply, status, titles[status] ?? error.message);
}
