import { describe, expect, it } from 'vitest';
import { mcpClientConfig, mcpServerUrl } from './mcpConfig';

describe('MCP connection details', () => {
  it('point at /mcp on the public origin', () => {
    expect(mcpServerUrl('https://tasks.example.com')).toBe('https://tasks.example.com/mcp');
    expect(mcpServerUrl('http://localhost:8080/')).toBe('http://localhost:8080/mcp');
  });

  it('give a client entry with the token as a bearer header', () => {
    const config = JSON.parse(mcpClientConfig('https://t.example/mcp', 'abc'));
    expect(config.servers.phase4).toEqual({
      type: 'http',
      url: 'https://t.example/mcp',
      headers: { Authorization: 'Bearer abc' },
    });
  });
});
