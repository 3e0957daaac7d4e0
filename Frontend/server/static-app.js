// @ts-check
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { sendProblem } from './problem.js';

/**
 * The built single-page app from `staticDir`: files as they are (the build writes .gz and .br beside each compressible
 * one, served when the browser accepts them), every other page path answered with index.html so the app's own routes
 * load, and a real 404 for anything that looks like a file or a well-known URI.
 * @type {import('fastify').FastifyPluginAsync<{ staticDir: string }>}
 */
export async function staticApp(app, { staticDir }) {
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`No built app in ${staticDir}: run "npm run build" first (or set STATIC_DIR).`);
  }
  await app.register(fastifyStatic, {
    root: staticDir,
    preCompressed: true,
    cacheControl: false,
    // Vite puts a content hash in every name under /assets, so those never change; the rest is revalidated.
    setHeaders: (reply, file) =>
      reply.header('cache-control', file.startsWith(path.join(staticDir, 'assets') + path.sep) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });

  // Pages take no body: whatever is sent is not read (and a method other than GET or HEAD is refused below).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendProblem(reply.header('allow', 'GET, HEAD'), 405, 'Method not allowed.');
    }
    const target = request.url.split('?')[0] ?? '';
    if (target.startsWith('/assets/') || target.startsWith('/.well-known/') || /\.[a-z0-9]+$/i.test(target)) {
      return sendProblem(reply, 404, 'Not found.');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
