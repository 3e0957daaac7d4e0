import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.js';
import { createStaticFixture, fakeToken, send, startUpstream } from './support/harness.js';

const entry = fileURLToPath(new URL('../../server/index.js', import.meta.url));

/** Starts `node server/index.js` as `npm start` does and waits for its "listening" line. */
async function startProcess(env) {
  const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const port = await new Promise((resolve, reject) => {
    const check = () => {
      const match = output.match(/"port":(\d+)/);
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  return { child, port, output: () => output };
}

// Each test starts Node and loads Fastify: allow for a busy machine.
describe('the server process', { timeout: 30_000 }, () => {
  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const backend = await startUpstream((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('["slow"]'), 500);
    });
    const { child, port } = await startProcess({
      PORT: '0',
      HOST: '127.0.0.1',
      BACKEND_URL: backend.url.href,
      MCP_URL: backend.url.href,
      STATIC_DIR: createStaticFixture(),
    });
    const origin = `http://127.0.0.1:${port}`;

    const inFlight = send(origin, { path: '/api/u/tasks', headers: { cookie: `phase4_session=${fakeToken()}` } });
    await expect.poll(() => backend.requests.length).toBe(1);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    const response = await inFlight;
    await backend.close();

    expect(response.status).toBe(200);
    expect(response.body).toBe('["slow"]');
    expect(code).toBe(0);
    await expect(send(origin, { path: '/alive' })).rejects.toThrow();
  });

  it('refuses to start without the backend address, naming the variables to set', async () => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH, PORT: '0', MCP_URL: 'http://127.0.0.1:1', STATIC_DIR: createStaticFixture() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(errors).toContain('services__backend__http__0');
    expect(errors).toContain('BACKEND_URL');
  });

  it('refuses to start when the app has not been built', async () => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH, PORT: '0', BACKEND_URL: 'http://127.0.0.1:1', MCP_URL: 'http://127.0.0.1:1', STATIC_DIR: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(errors).toContain('npm run build');
  });
});

describe('configuration', () => {
  const base = { services__backend__http__0: 'http://localhost:5001', services__mcpserver__http__0: 'http://localhost:5002' };

  it('finds both services through Aspire service discovery and defaults to port 8080', () => {
    const config = readConfig(base);
    expect(config.port).toBe(8080);
    expect(config.backendUrl.href).toBe('http://localhost:5001/');
    expect(config.mcpUrl.href).toBe('http://localhost:5002/');
    expect(config.trustedProxies).toEqual([]);
  });

  it('prefers service discovery over BACKEND_URL / MCP_URL, and falls back to them', () => {
    expect(readConfig({ ...base, BACKEND_URL: 'http://other:1' }).backendUrl.host).toBe('localhost:5001');
    const plain = readConfig({ BACKEND_URL: 'http://backend:8080', MCP_URL: 'https://mcp:8443' });
    expect(plain.backendUrl.host).toBe('backend:8080');
    expect(plain.mcpUrl.protocol).toBe('https:');
  });

  it('reads the trusted proxies as addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(readConfig({ ...base, TRUSTED_PROXIES: ' 10.0.0.0/8,192.168.1.7 , fd00::/8' }).trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
  });

  it('drains for 5 s in production by default and not at all in development', () => {
    expect(readConfig({ ...base, NODE_ENV: 'production' }).drainDelayMs).toBe(5000);
    expect(readConfig(base).drainDelayMs).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ services__backend__http__0: 'not a url' }, 'services__backend__http__0'],
    [{ services__mcpserver__http__0: 'ftp://mcp' }, 'services__mcpserver__http__0'],
    [{ TRUST_PROXY: 'true' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.0/8, ingress.example' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES'],
    [{ SHUTDOWN_DRAIN_DELAY_MS: '60000' }, 'SHUTDOWN_DRAIN_DELAY_MS'],
  ])('names the variable at fault: %o', (override, name) => {
    expect(() => readConfig({ ...base, ...override })).toThrow(name);
  });
});
