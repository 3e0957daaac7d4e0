// @ts-check
const probes = new Set(['/alive', '/health']);

/**
 * Traces, metrics and logs over OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the AppHost sets it to the
 * dashboard's endpoint, with OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; the SDK
 * reads every OTEL_* variable itself). Incoming requests (Node's HTTP server, under Fastify) and outgoing calls
 * (undici: the proxy and fetch) are traced, and W3C trace context goes out with every call, so one chat turn is one
 * trace from here through the backend and the MCP server to PostgreSQL; Fastify's log lines become OTLP log records.
 * Start it before Fastify is loaded: the instrumentations patch modules as they load. Without the endpoint the SDK is
 * not even loaded (it would cost the process tens of megabytes).
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<import('@opentelemetry/sdk-node').NodeSDK | undefined>}
 */
export async function startTelemetry(env) {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const [{ NodeSDK }, { HttpInstrumentation }, { UndiciInstrumentation }, { PinoInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-pino'),
  ]);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ? undefined : 'frontend',
    instrumentations: [
      // Probes hit these every few seconds; tracing them would drown real requests (as in the .NET services).
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => probes.has(request.url ?? '') }),
      new UndiciInstrumentation(),
      new PinoInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
