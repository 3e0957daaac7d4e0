// @ts-check
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** @type {Record<string, string>} */
const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const compressible = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.map']);

/**
 * @typedef {object} StaticFile
 * @property {Buffer} body
 * @property {Buffer | undefined} gzipped
 * @property {string} contentType
 * @property {string} etag
 * @property {string} cacheControl
 */

/**
 * The built app, read into memory once: it is a few hundred kilobytes, never changes while the server runs, and a
 * request can only ever name a file that is in this map (no path from the URL reaches the file system).
 * @param {string} root
 * @returns {{ find: (urlPath: string) => StaticFile | undefined, index: StaticFile }}
 */
export function loadStaticFiles(root) {
  const indexPath = path.join(root, 'index.html');
  if (!fs.existsSync(indexPath)) {
    throw new Error(`No built app in ${root}: run "npm run build" first (or set STATIC_DIR).`);
  }
  /** @type {Map<string, StaticFile>} */
  const files = new Map();
  for (const file of listFiles(root)) {
    const urlPath = '/' + path.relative(root, file).split(path.sep).join('/');
    files.set(urlPath, readStaticFile(file, urlPath));
  }
  return {
    find: (urlPath) => files.get(urlPath),
    index: /** @type {StaticFile} */ (files.get('/index.html')),
  };
}

/**
 * @param {string} file
 * @param {string} urlPath
 * @returns {StaticFile}
 */
function readStaticFile(file, urlPath) {
  const extension = path.extname(file).toLowerCase();
  const body = fs.readFileSync(file);
  const gzipped = compressible.has(extension) && body.length > 1024 ? gzipSync(body) : undefined;
  return {
    body,
    gzipped,
    contentType: contentTypes[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    // Vite puts a content hash in every name under /assets, so those never change; the rest is revalidated.
    cacheControl: urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
}

/**
 * @param {string} directory
 * @returns {string[]}
 */
function listFiles(directory) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return entry.isFile() ? [full] : [];
  });
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {StaticFile} file
 */
export function sendStaticFile(req, res, file) {
  res.setHeader('Cache-Control', file.cacheControl);
  res.setHeader('ETag', file.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304);
    res.end();
    return;
  }
  const gzip = file.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? /** @type {Buffer} */ (file.gzipped) : file.body;
  res.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': body.length,
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
