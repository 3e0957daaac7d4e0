// @ts-check
import { getHeapStatistics } from 'node:v8';
import { readConfig } from './config.js';
import { startTelemetry } from './telemetry.js';

const telemetry = await startTelemetry(process.env);
// Loaded only now, so the HTTP server and client under Fastify are instrumented.
const { createFrontendServer } = await import('./app.js');

/** @type {ReturnType<typeof createFrontendServer>} */
let server;
try {
  const config = readConfig(process.env);
  server = createFrontendServer(config);
  const port = await server.listen();
  server.app.log.info({ port, backend: config.backendUrl.origin, mcp: config.mcpUrl.origin, publicOrigin: config.publicOrigin?.origin }, 'frontend listening');
  // What the runtime sees of its container: V8 sizes its heap from the memory limit (bench/limits.sh reads this).
  const memoryLimit = process.constrainedMemory?.() ?? 0;
  server.app.log.info(
    { heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20), memoryLimitMb: memoryLimit > 0 && memoryLimit < 2 ** 60 ? Math.round(memoryLimit / 2 ** 20) : null },
    'runtime resources',
  );
  if (!config.publicOrigin) {
    server.app.log.info('PUBLIC_ORIGIN is not set: the backend and the MCP server are not told a public host (X-Forwarded-Host)');
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', message: 'frontend failed to start', error: message })}\n`);
  process.exit(1);
}

let stopping = false;
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server
      .shutdown()
      // Telemetry that cannot be flushed (no collector) is lost, not a failed shutdown.
      .then(() => telemetry?.shutdown().catch((error) => server.app.log.warn({ error: String(error) }, 'telemetry not flushed')))
      .then(
        () => process.exit(0),
        (error) => {
          server.app.log.error({ error: String(error) }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
