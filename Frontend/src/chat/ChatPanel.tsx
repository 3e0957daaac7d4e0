import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useApi } from '../ApiContext';
import { ApiError, describeError } from '../api/problem';
import type { Conversation } from '../api/types';
import { draftKey, readDraft } from '../drafts/drafts';
import { useDraft } from '../drafts/useDraft';
import { chatReducer, initialChatState, replyChangedTasks } from './chatReducer';
import { Composer, messageMaxLength } from './Composer';
import { rememberConversation, rememberedConversation } from './conversationMemory';
import { ConversationList, type ConversationsState } from './ConversationList';
import { MessageList } from './MessageList';

interface ChatPanelProps {
  userId: string;
  onTasksChanged: () => void;
}

export function ChatPanel({ userId, onTasksChanged }: ChatPanelProps) {
  const api = useApi();
  const [chat, dispatch] = useReducer(chatReducer, initialChatState);
  const [view, setView] = useState<'chat' | 'history'>('chat');
  const [conversations, setConversations] = useState<ConversationsState>({ status: 'loading', items: [] });
  const composerKey = draftKey(userId, 'chat');
  const [draft, setDraft] = useDraft(composerKey);
  const nextKey = useRef(0);

  const loadConversations = useCallback(async () => {
    try {
      const items: Conversation[] = await api.listConversations(userId);
      setConversations({ status: 'ready', items });
    } catch (error) {
      setConversations((current) => ({ ...current, status: 'error', error: describeError(error) }));
    }
  }, [api, userId]);

  const open = useCallback(
    async (conversationId: number) => {
      setView('chat');
      dispatch({ type: 'open-started', conversationId });
      rememberConversation(localStorage, userId, conversationId);
      try {
        const messages = await api.conversationMessages(userId, conversationId);
        dispatch({ type: 'opened', conversationId, messages });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          rememberConversation(localStorage, userId, null);
          dispatch({ type: 'open-failed', error: 'That conversation no longer exists. Start a new one below.' });
        } else {
          dispatch({ type: 'open-failed', error: `Couldn't open the conversation. ${describeError(error)}` });
        }
      }
    },
    [api, userId],
  );

  useEffect(() => {
    const remembered = rememberedConversation(localStorage, userId);
    if (remembered !== null) void open(remembered);
    void loadConversations();
  }, [userId, open, loadConversations]);

  function startNew() {
    rememberConversation(localStorage, userId, null);
    dispatch({ type: 'new-conversation' });
    setView('chat');
  }

  async function send() {
    const text = draft.trim();
    if (text === '' || text.length > messageMaxLength || chat.status !== 'idle') return;
    const key = `sent-${nextKey.current++}`;
    setDraft('');
    dispatch({ type: 'send-started', key, text });
    try {
      const reply = await api.sendChat(userId, chat.conversationId, text);
      dispatch({ type: 'replied', key, reply });
      rememberConversation(localStorage, userId, reply.conversation_id);
      if (replyChangedTasks(reply)) onTasksChanged();
    } catch (error) {
      // A 503 comes after the server stored the message (the assistant was unavailable): it stays in the log.
      const messageKept = error instanceof ApiError && error.status === 503;
      const conversationId = messageKept ? error.problem?.conversation_id : undefined;
      if (typeof conversationId === 'number') rememberConversation(localStorage, userId, conversationId);
      if (!messageKept && readDraft(sessionStorage, composerKey) === '') setDraft(text);
      dispatch({
        type: 'send-failed',
        key,
        messageKept,
        conversationId: typeof conversationId === 'number' ? conversationId : undefined,
        error: messageKept
          ? 'The assistant is unavailable right now. Your message was saved; try again in a moment.'
          : `Your message was not sent. ${describeError(error)}`,
      });
    }
    void loadConversations();
  }

  return (
    <aside className="panel chat-panel" aria-labelledby="assistant-heading">
      <div className="panel-header">
        <h2 id="assistant-heading">Assistant</h2>
        <div className="chat-actions">
          <button
            type="button"
            aria-pressed={view === 'history'}
            onClick={() => {
              if (view === 'chat') void loadConversations();
              setView(view === 'history' ? 'chat' : 'history');
            }}
          >
            Conversations
          </button>
          <button type="button" onClick={startNew}>
            New chat
          </button>
        </div>
      </div>

      {view === 'history' ? (
        <ConversationList
          state={conversations}
          currentId={chat.conversationId}
          onOpen={(id) => void open(id)}
          onRetry={() => void loadConversations()}
        />
      ) : (
        <>
          <MessageList messages={chat.messages} status={chat.status} onExample={setDraft} />
          {chat.error && (
            <p className="form-error chat-error" role="alert">
              {chat.error}
            </p>
          )}
          <Composer value={draft} onChange={setDraft} onSend={() => void send()} busy={chat.status !== 'idle'} />
        </>
      )}
    </aside>
  );
}
