import { useCallback, useState } from 'react';
import type { Session } from '../api/types';
import { ChatPanel } from '../chat/ChatPanel';
import { McpConnectDialog } from '../mcp/McpConnectDialog';
import { TasksPanel } from '../tasks/TasksPanel';

interface WorkspaceProps {
  user: Session;
  onSignOut: () => void;
}

/** Tasks and the assistant side by side on a wide screen; on a phone, one at a time with a switch at the top. */
export function Workspace({ user, onSignOut }: WorkspaceProps) {
  const [phoneView, setPhoneView] = useState<'tasks' | 'assistant'>('tasks');
  const [tasksVersion, setTasksVersion] = useState(0);
  const [mcpOpen, setMcpOpen] = useState(false);
  const refreshTasks = useCallback(() => setTasksVersion((version) => version + 1), []);

  return (
    <div className="app">
      <a className="skip-link" href="#tasks-heading">
        Skip to your tasks
      </a>
      <header className="topbar">
        <p className="brand">Phase4 Tasks</p>
        <nav className="topbar-actions" aria-label="Workspace">
          <div className="view-switch" role="group" aria-label="Show">
            <button type="button" aria-pressed={phoneView === 'tasks'} onClick={() => setPhoneView('tasks')}>
              Tasks
            </button>
            <button type="button" aria-pressed={phoneView === 'assistant'} onClick={() => setPhoneView('assistant')}>
              Assistant
            </button>
          </div>
          {/* A phone shows the short text; the name, which contains it, stays the same everywhere. */}
          <button
            type="button"
            className="mcp-button"
            aria-label="Connect an MCP client"
            onClick={() => setMcpOpen(true)}
          >
            <span className="wide-only">Connect an MCP client</span>
            <span className="narrow-only">MCP client</span>
          </button>
        </nav>
        <div className="account">
          <span className="account-email" title={user.email}>
            {user.email}
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="workspace" data-phone-view={phoneView}>
        <TasksPanel userId={user.user_id} refreshSignal={tasksVersion} />
        <ChatPanel userId={user.user_id} onTasksChanged={refreshTasks} />
      </main>
      <McpConnectDialog open={mcpOpen} onClose={() => setMcpOpen(false)} />
    </div>
  );
}
