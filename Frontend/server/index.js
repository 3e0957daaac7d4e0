// @ts-check
import { createFrontendServer } from './app.js';
import { readConfig } from './config.js';
import { consoleLog } from './log.js';

const log = consoleLog();

/** @type {ReturnType<typeof createFrontendServer>} */
let app;
try {
  const config = readConfig(process.env);
  app = createFrontendServer(config, { log });
  const port = await app.listen();
  log.info('frontend listening', { port, backend: config.backendUrl.origin, mcp: config.mcpUrl.origin });
} catch (error) {
  log.error('frontend failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

let stopping = false;
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    app.shutdown().then(
      () => process.exit(0),
      (error) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  });
}
