// @ts-check

/**
 * @typedef {object} Log
 * @property {(message: string, fields?: Record<string, unknown>) => void} info
 * @property {(message: string, fields?: Record<string, unknown>) => void} warn
 * @property {(message: string, fields?: Record<string, unknown>) => void} error
 */

/**
 * One line per event on stdout/stderr, which is what Aspire's dashboard and `kubectl logs` show.
 * @returns {Log}
 */
export function consoleLog() {
  /**
   * @param {'info' | 'warn' | 'error'} level
   * @param {string} message
   * @param {Record<string, unknown>} [fields]
   */
  const write = (level, message, fields) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
    (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** @type {Log} */
export const silentLog = { info() {}, warn() {}, error() {} };
