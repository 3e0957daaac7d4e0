import type { HttpClient } from './http';
import type {
  ChatReply,
  Conversation,
  ConversationMessage,
  Credentials,
  McpToken,
  Session,
  Task,
  TaskFilter,
  TaskInput,
} from './types';

export const taskPageSize = 100;

/** Every call the page makes. Paths are built here only, with ids encoded. */
export function createApi(http: HttpClient) {
  const user = (userId: string) => `/api/${encodeURIComponent(userId)}`;

  return {
    session: async () => (await http<Session>('GET', '/session', { unauthorizedIsExpected: true })).data,
    login: async (credentials: Credentials) =>
      (await http<Session>('POST', '/api/auth/login', { body: credentials, unauthorizedIsExpected: true })).data,
    register: async (credentials: Credentials) =>
      (await http<Session>('POST', '/api/auth/register', { body: credentials, unauthorizedIsExpected: true })).data,
    logout: async () => {
      await http<void>('POST', '/api/auth/logout', { unauthorizedIsExpected: true });
    },
    mcpToken: async () => (await http<McpToken>('POST', '/api/auth/mcp-token')).data,
    /** Ends every MCP token the signed-in user ever created. */
    revokeMcpTokens: async () => {
      await http<void>('DELETE', '/api/auth/mcp-tokens');
    },

    listTasks: async (userId: string, filter: TaskFilter, offset = 0) => {
      const query = new URLSearchParams({ status: filter, limit: String(taskPageSize), offset: String(offset) });
      return (await http<Task[]>('GET', `${user(userId)}/tasks?${query}`)).data;
    },
    /** One task with its ETag, so an edit can say which version it changes. */
    getTask: (userId: string, id: number) => http<Task>('GET', `${user(userId)}/tasks/${id}`),
    createTask: async (userId: string, input: TaskInput) =>
      (await http<Task>('POST', `${user(userId)}/tasks`, { body: input })).data,
    updateTask: async (userId: string, id: number, input: TaskInput, etag: string | null) =>
      (await http<Task>('PUT', `${user(userId)}/tasks/${id}`, { body: input, headers: etag ? { 'If-Match': etag } : {} }))
        .data,
    setCompleted: async (userId: string, id: number, completed: boolean) =>
      (await http<Task>('PATCH', `${user(userId)}/tasks/${id}/complete`, { body: { completed } })).data,
    deleteTask: async (userId: string, id: number) => {
      await http<void>('DELETE', `${user(userId)}/tasks/${id}`);
    },

    sendChat: async (userId: string, conversationId: number | null, message: string) =>
      (
        await http<ChatReply>('POST', `${user(userId)}/chat`, {
          body: conversationId === null ? { message } : { conversation_id: conversationId, message },
        })
      ).data,
    listConversations: async (userId: string) =>
      (await http<Conversation[]>('GET', `${user(userId)}/conversations`)).data,
    conversationMessages: async (userId: string, conversationId: number) =>
      (await http<ConversationMessage[]>('GET', `${user(userId)}/conversations/${conversationId}/messages`)).data,
  };
}

export type Api = ReturnType<typeof createApi>;
