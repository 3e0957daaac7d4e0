import type { ChatReply, ConversationMessage, ToolCall } from '../api/types';

export interface DisplayMessage {
  key: string;
  role: 'user' | 'assistant';
  content: string;
  toolCalls: ToolCall[];
}

export interface ChatState {
  conversationId: number | null;
  messages: DisplayMessage[];
  /** loading: opening a conversation; sending: waiting for the assistant's reply. */
  status: 'idle' | 'loading' | 'sending';
  error: string | null;
}

export type ChatAction =
  | { type: 'open-started'; conversationId: number }
  | { type: 'opened'; conversationId: number; messages: ConversationMessage[] }
  | { type: 'open-failed'; error: string }
  | { type: 'new-conversation' }
  | { type: 'send-started'; key: string; text: string }
  | { type: 'replied'; key: string; reply: ChatReply }
  | { type: 'send-failed'; key: string; error: string; messageKept: boolean; conversationId?: number | undefined };

export const initialChatState: ChatState = { conversationId: null, messages: [], status: 'idle', error: null };

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'open-started':
      return { conversationId: action.conversationId, messages: [], status: 'loading', error: null };
    case 'opened':
      if (action.conversationId !== state.conversationId) return state;
      return { ...state, status: 'idle', messages: action.messages.map(fromStored) };
    case 'open-failed':
      return { ...initialChatState, error: action.error };
    case 'new-conversation':
      return initialChatState;
    case 'send-started':
      return {
        ...state,
        status: 'sending',
        error: null,
        messages: [...state.messages, { key: action.key, role: 'user', content: action.text, toolCalls: [] }],
      };
    case 'replied':
      return {
        conversationId: action.reply.conversation_id,
        status: 'idle',
        error: null,
        messages: [
          ...state.messages,
          {
            key: `${action.key}-reply`,
            role: 'assistant',
            content: action.reply.response,
            toolCalls: action.reply.tool_calls ?? [],
          },
        ],
      };
    case 'send-failed':
      return {
        ...state,
        // A new conversation the server created before failing is the one to carry on in.
        conversationId: action.conversationId ?? state.conversationId,
        status: 'idle',
        error: action.error,
        // When the server kept the message (it stores it before the assistant runs), it stays in the log.
        messages: action.messageKept ? state.messages : state.messages.filter((message) => message.key !== action.key),
      };
  }
}

function fromStored(message: ConversationMessage): DisplayMessage {
  return {
    key: `stored-${message.id}`,
    role: message.role,
    content: message.content,
    toolCalls: message.tool_calls ?? [],
  };
}

/** Any tool call may have changed tasks (a refresh after a mere list_tasks costs one cheap GET). */
export function replyChangedTasks(reply: ChatReply): boolean {
  return (reply.tool_calls ?? []).length > 0;
}
