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
 * @param {import('node:http').ServerResponse} res
 * @param {boolean} secure  whether the browser reached us over https (HSTS means nothing over http)
 */
export function applySecurityHeaders(res, secure) {
  for (const [name, value] of Object.entries(everyResponse)) {
    res.setHeader(name, value);
  }
  if (secure) {
    res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  }
}
