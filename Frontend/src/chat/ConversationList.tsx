import type { Conversation } from '../api/types';
import { formatWhen } from '../components/formatWhen';

export interface ConversationsState {
  status: 'loading' | 'ready' | 'error';
  items: Conversation[];
  error?: string;
}

interface ConversationListProps {
  state: ConversationsState;
  currentId: number | null;
  onOpen: (conversationId: number) => void;
  onRetry: () => void;
}

export function ConversationList({ state, currentId, onOpen, onRetry }: ConversationListProps) {
  return (
    <nav className="conversation-list" aria-labelledby="conversations-heading">
      <h3 id="conversations-heading">Past conversations</h3>
      {state.status === 'loading' && state.items.length === 0 && (
        <p className="state-message" role="status">
          Loading conversations…
        </p>
      )}
      {state.status === 'error' && (
        <div className="banner banner-error" role="alert">
          <p>Couldn't load your conversations. {state.error}</p>
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
      {state.status === 'ready' && state.items.length === 0 && (
        <p className="state-message">No conversations yet. Say hello to the assistant to start one.</p>
      )}
      {state.items.length > 0 && (
        <ul>
          {state.items.map((conversation) => (
            <li key={conversation.id}>
              <button
                type="button"
                className="conversation"
                aria-current={conversation.id === currentId ? 'true' : undefined}
                onClick={() => onOpen(conversation.id)}
              >
                <span className="conversation-title">{conversation.title || 'Untitled conversation'}</span>
                <span className="conversation-when">{formatWhen(conversation.updated_at)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
