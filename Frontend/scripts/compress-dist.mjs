// Writes a .br and a .gz copy beside every compressible file of the built app (dist/), which the server sends to
// browsers that accept them (@fastify/static's preCompressed): compressed once at build time, never per request.
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const compressible = /\.(html|js|mjs|css|json|webmanifest|svg|txt|map)$/;
const root = path.resolve(import.meta.dirname, '..', 'dist');

for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
  const file = path.join(entry.parentPath, entry.name);
  if (!entry.isFile() || !compressible.test(file)) continue;
  const body = fs.readFileSync(file);
  // Small files gain nothing worth a second request path.
  if (body.length <= 1024) continue;
  fs.writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  fs.writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
