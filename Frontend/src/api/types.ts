/**
 * Wire shapes of the backend's API (snake_case, as it sends them), taken from its OpenAPI document: schema.d.ts is
 * generated from Backend.Api/openapi/v1.json (`npm run api:types`; a backend test fails when it is stale). Only the
 * frontend server's own shapes (the session) and narrowings the document cannot state are written here.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

/** Who is signed in: the frontend server's answer to sign-in, sign-up and GET /session (it keeps the token). */
export interface Session {
  user_id: string;
  email: string;
  expires_at?: string;
}

export type Task = Schemas['TaskResponse'];

/** What the task form sends: both fields, the description null when empty. */
export type TaskInput = Required<Schemas['TaskRequest']>;

export type TaskFilter = 'all' | 'pending' | 'completed';

export type ToolCall = Schemas['ToolCallRecord'];

export type ChatReply = Schemas['ChatReply'];

export type Conversation = Schemas['ConversationResponse'];

/** The backend stores and returns only these two roles. */
export type ConversationMessage = Schemas['MessageResponse'] & { role: 'user' | 'assistant' };

export type McpToken = Schemas['McpTokenResponse'];

export type Credentials = Required<{ [Key in keyof Schemas['CredentialsRequest']]: NonNullable<Schemas['CredentialsRequest'][Key]> }>;
