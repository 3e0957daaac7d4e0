/** Wire shapes of the backend's API (snake_case, as it sends them). */

export interface Session {
  user_id: string;
  email: string;
  expires_at?: string;
}

export interface Task {
  id: number;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

export interface TaskInput {
  title: string;
  description: string | null;
}

export type TaskFilter = 'all' | 'pending' | 'completed';

export interface ToolCall {
  name: string;
  arguments: unknown;
  result: unknown;
}

export interface ChatReply {
  conversation_id: number;
  response: string;
  tool_calls: ToolCall[];
}

export interface Conversation {
  id: number;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface ConversationMessage {
  id: number;
  role: 'user' | 'assistant';
  content: string;
  tool_calls?: ToolCall[] | null;
  created_at: string;
}

export interface McpToken {
  access_token: string;
  expires_in: number;
}

export interface Credentials {
  email: string;
  password: string;
}
