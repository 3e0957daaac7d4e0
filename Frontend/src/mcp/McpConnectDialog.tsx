import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../ApiContext';
import { describeError } from '../api/problem';
import type { McpToken } from '../api/types';
import { CopyField } from './CopyField';
import { mcpClientConfig, mcpServerUrl } from './mcpConfig';

interface McpConnectDialogProps {
  open: boolean;
  onClose: () => void;
}

type TokenState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; token: McpToken }
  | { status: 'error'; error: string };

type RevokeState = { status: 'idle' } | { status: 'revoking' } | { status: 'revoked' } | { status: 'error'; error: string };

/** The public MCP endpoint and a fresh token for it, ready to paste into an MCP client. */
export function McpConnectDialog({ open, onClose }: McpConnectDialogProps) {
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const [token, setToken] = useState<TokenState>({ status: 'idle' });
  const [revoke, setRevoke] = useState<RevokeState>({ status: 'idle' });
  const url = mcpServerUrl(window.location.origin);

  const createToken = useCallback(async () => {
    setRevoke({ status: 'idle' });
    setToken({ status: 'loading' });
    try {
      setToken({ status: 'ready', token: await api.mcpToken() });
    } catch (error) {
      setToken({ status: 'error', error: describeError(error) });
    }
  }, [api]);

  const revokeAll = async () => {
    setRevoke({ status: 'revoking' });
    try {
      await api.revokeMcpTokens();
      // The token on screen was one of them.
      setToken({ status: 'idle' });
      setRevoke({ status: 'revoked' });
    } catch (error) {
      setRevoke({ status: 'error', error: describeError(error) });
    }
  };

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      void createToken();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open, createToken]);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="mcp-heading" onClose={onClose}>
      <div className="dialog-header">
        <h2 id="mcp-heading">Connect an MCP client</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p>
        MCP clients such as MCP Inspector, Claude Desktop or VS Code can read and change your tasks through this
        address, using the token below as a bearer token.
      </p>
      <CopyField id="mcp-url" label="Server URL" value={url} />

      {token.status === 'loading' && (
        <p className="state-message" role="status">
          Creating a token…
        </p>
      )}
      {token.status === 'error' && (
        <div className="banner banner-error" role="alert">
          <p>Couldn't create a token. {token.error}</p>
          <button type="button" onClick={() => void createToken()}>
            Try again
          </button>
        </div>
      )}
      {token.status === 'ready' && (
        <>
          <CopyField id="mcp-token" label="Access token" value={token.token.access_token} multiline />
          <p className="hint">
            Valid for {describeLifetime(token.token.expires_in)}. Anyone holding it can act on your tasks: keep it
            private. Create a new one when it expires.
          </p>
          <button type="button" onClick={() => void createToken()}>
            Create a new token
          </button>
          <details className="mcp-example">
            <summary>Example client configuration</summary>
            <pre>{mcpClientConfig(url, token.token.access_token)}</pre>
          </details>
        </>
      )}

      <section className="mcp-revoke" aria-labelledby="mcp-revoke-heading">
        <h3 id="mcp-revoke-heading">Revoke MCP access</h3>
        <p className="hint">Stops every MCP token you have created, in every client, at once.</p>
        <button type="button" className="button-danger" disabled={revoke.status === 'revoking'} onClick={() => void revokeAll()}>
          {revoke.status === 'revoking' ? 'Revoking…' : 'Revoke MCP access'}
        </button>
        {revoke.status === 'revoked' && (
          <div role="status">
            <p>No MCP token you created works any more. Create a new one to connect a client again.</p>
            <button type="button" onClick={() => void createToken()}>
              Create a new token
            </button>
          </div>
        )}
        {revoke.status === 'error' && (
          <div className="banner banner-error" role="alert">
            <p>Couldn't revoke MCP access. {revoke.error}</p>
          </div>
        )}
      </section>
    </dialog>
  );
}

function describeLifetime(seconds: number): string {
  if (seconds >= 7200) return `${Math.round(seconds / 3600)} hours`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
