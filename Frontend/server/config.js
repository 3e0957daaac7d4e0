// @ts-check
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultStaticDir = fileURLToPath(new URL('../dist', import.meta.url));

/**
 * @typedef {object} ServerConfig
 * @property {number} port
 * @property {string} host
 * @property {URL} backendUrl
 * @property {URL} mcpUrl
 * @property {URL | undefined} publicOrigin  Where browsers and MCP clients reach this server: the backend and the MCP
 *   server are told this host (X-Forwarded-Host) and scheme, never the Host a client sent.
 * @property {string} staticDir
 * @property {string[]} trustedProxies  The proxies (addresses, CIDR ranges) whose X-Forwarded-For is believed: the
 *   client is the last entry that is not one of them. Empty: nobody's, the socket's address is the client.
 * @property {number} drainDelayMs  How long /health reports unready after SIGTERM before the listener closes.
 * @property {number} shutdownTimeoutMs  How long in-flight requests (open MCP streams included) get after that.
 * @property {number} apiTimeoutMs  How long a backend call other than a chat turn may stay silent: the backend answers
 *   each within its own limits (about 13 s at worst, a command lost on a black-holed database path), so a longer
 *   silence means a lost connection to the backend itself.
 * @property {number} chatTimeoutMs  How long a chat turn may stay silent (a turn with a real model is slow).
 * @property {number} upstreamConnectTimeoutMs  How long connecting to the backend may take before the call fails.
 * @property {number} requestReadTimeoutMs  How long a client may take to send a whole request, headers and body.
 * @property {number} responseIdleTimeoutMs  How long a client may read nothing of a response that has started.
 * @property {number} responseTimeoutMs  How long a client may take to read a whole response once it has started
 *   (event streams excepted: they end when the upstream ends them).
 * @property {number} mcpTimeoutMs  How long the MCP server may stay silent on one request.
 * @property {number} signInsPerMinute  Sign-in attempts one client address may make per minute (a token bucket).
 * @property {number} signUpsPerHour  Sign-up attempts one client address may make per hour (a token bucket).
 */

/**
 * Reads the configuration from the environment and fails fast, naming the variable, when something is wrong.
 * @param {NodeJS.ProcessEnv} env
 * @returns {ServerConfig}
 */
export function readConfig(env) {
  const production = env.NODE_ENV === 'production';
  return {
    port: readInteger(env, 'PORT', 8080, 0, 65535),
    // Every address, IPv4 and IPv6 (a container's probes and a pod's peers use either).
    host: env.HOST || '::',
    backendUrl: readServiceUrl(env, 'backend', 'BACKEND_URL'),
    mcpUrl: readServiceUrl(env, 'mcpserver', 'MCP_URL'),
    publicOrigin: readPublicOrigin(env, 'PUBLIC_ORIGIN'),
    staticDir: path.resolve(env.STATIC_DIR || defaultStaticDir),
    trustedProxies: readTrustedProxies(env, 'TRUSTED_PROXIES'),
    drainDelayMs: readInteger(env, 'SHUTDOWN_DRAIN_DELAY_MS', production ? 5000 : 0, 0, 20000),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 25000),
    apiTimeoutMs: readInteger(env, 'API_TIMEOUT_MS', 20000, 1000, 600000),
    chatTimeoutMs: readInteger(env, 'CHAT_TIMEOUT_MS', 180000, 1000, 600000),
    upstreamConnectTimeoutMs: readInteger(env, 'UPSTREAM_CONNECT_TIMEOUT_MS', 3000, 100, 60000),
    requestReadTimeoutMs: readInteger(env, 'REQUEST_READ_TIMEOUT_MS', 10000, 100, 120000),
    responseIdleTimeoutMs: readInteger(env, 'RESPONSE_IDLE_TIMEOUT_MS', 30000, 100, 600000),
    responseTimeoutMs: readInteger(env, 'RESPONSE_TIMEOUT_MS', 120000, 100, 3600000),
    mcpTimeoutMs: readInteger(env, 'MCP_TIMEOUT_MS', 60000, 1000, 600000),
    signInsPerMinute: readInteger(env, 'SIGN_INS_PER_MINUTE', 10, 1, 10000),
    signUpsPerHour: readInteger(env, 'SIGN_UPS_PER_HOUR', 20, 1, 100000),
  };
}

/**
 * Aspire service discovery first (http, then https), then the plain variable for standalone runs.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} service
 * @param {string} plainName
 */
function readServiceUrl(env, service, plainName) {
  const names = [`services__${service}__http__0`, `services__${service}__https__0`, plainName];
  const name = names.find((candidate) => env[candidate]);
  if (!name) {
    throw new Error(`Missing the ${service} address: set ${names.join(' or ')}.`);
  }
  return readHttpUrl(env, name);
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function readPublicOrigin(env, name) {
  if (!env[name]) return undefined;
  const url = readHttpUrl(env, name);
  if (url.origin + '/' !== url.href) {
    throw new Error(`${name} must be an origin only (scheme, host and port, e.g. https://todo.example.com).`);
  }
  return url;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function readHttpUrl(env, name) {
  /** @type {URL} */
  let url;
  try {
    url = new URL(/** @type {string} */ (env[name]));
  } catch {
    throw new Error(`${name} is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must be an http or https URL.`);
  }
  return url;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
function readInteger(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/**
 * Comma-separated addresses and CIDR ranges (what Fastify's trustProxy takes, through proxy-addr). TRUST_PROXY, the
 * old switch that believed whichever peer connected, is refused so a deployment cannot keep it by mistake.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function readTrustedProxies(env, name) {
  if (['true', '1'].includes((env.TRUST_PROXY ?? '').toLowerCase())) {
    throw new Error(`TRUST_PROXY is replaced by ${name}: list the proxies' addresses or CIDR ranges (e.g. 10.0.0.0/8).`);
  }
  const entries = (env[name] ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = net.isIP(address ?? '');
    const validPrefix = prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (!family || !validPrefix || rest.length > 0) {
      throw new Error(`${name} must be comma-separated IP addresses or CIDR ranges (e.g. 10.0.0.0/8); "${entry}" is not one.`);
    }
  }
  return entries;
}
