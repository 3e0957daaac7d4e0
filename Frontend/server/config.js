// @ts-check
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultStaticDir = fileURLToPath(new URL('../dist', import.meta.url));

/**
 * @typedef {object} ServerConfig
 * @property {number} port
 * @property {string | undefined} host
 * @property {URL} backendUrl
 * @property {URL} mcpUrl
 * @property {string} staticDir
 * @property {boolean} trustProxy  Behind a trusted ingress: the client address is the last X-Forwarded-For entry.
 * @property {number} drainDelayMs  How long /health reports unready after SIGTERM before the listener closes.
 * @property {number} shutdownTimeoutMs  How long in-flight requests (open MCP streams included) get after that.
 * @property {number} apiTimeoutMs  How long a backend call may stay silent (a chat turn with a real model is slow).
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
    host: env.HOST || undefined,
    backendUrl: readServiceUrl(env, 'backend', 'BACKEND_URL'),
    mcpUrl: readServiceUrl(env, 'mcpserver', 'MCP_URL'),
    staticDir: path.resolve(env.STATIC_DIR || defaultStaticDir),
    trustProxy: readBoolean(env, 'TRUST_PROXY'),
    drainDelayMs: readInteger(env, 'SHUTDOWN_DRAIN_DELAY_MS', production ? 5000 : 0, 0, 20000),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 25000),
    apiTimeoutMs: readInteger(env, 'API_TIMEOUT_MS', 180000, 1000, 600000),
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
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function readBoolean(env, name) {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new Error(`${name} must be true or false.`);
}
