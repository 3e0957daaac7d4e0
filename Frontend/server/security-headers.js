// @ts-check

// The built app is plain files from 'self': no inline script or style, no third-party origin, never framed.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** @type {Record<string, string>} */
const everyResponse = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/**
 * Set last (onSend), so these win over anything a proxied upstream said.
 * @param {import('fastify').FastifyReply} reply
 * @param {boolean} secure  whether the browser reached us over https (HSTS means nothing over http)
 */
export function applySecurityHeaders(reply, secure) {
  reply.headers(everyResponse);
  if (secure) reply.header('Strict-Transport-Security', 'max-age=31536000');
}
