import { describe, expect, it } from 'vitest';
import type { ChatReply } from '../api/types';
import { chatReducer, initialChatState, replyChangedTasks } from './chatReducer';

const reply = (conversationId: number, toolCalls: ChatReply['tool_calls'] = []): ChatReply => ({
  conversation_id: conversationId,
  response: 'Done.',
  tool_calls: toolCalls,
});

describe('chatReducer', () => {
  it('shows the sent message at once with a pending state, then the reply with its tool calls', () => {
    const sending = chatReducer(initialChatState, { type: 'send-started', key: 'k1', text: 'Add milk' });
    expect(sending.status).toBe('sending');
    expect(sending.messages).toEqual([{ key: 'k1', role: 'user', content: 'Add milk', toolCalls: [] }]);

    const call = { name: 'add_task', arguments: { title: 'milk' }, result: { task_id: 1, status: 'created' } };
    const replied = chatReducer(sending, { type: 'replied', key: 'k1', reply: reply(7, [call]) });
    expect(replied).toMatchObject({ status: 'idle', conversationId: 7, error: null });
    expect(replied.messages[1]).toEqual({ key: 'k1-reply', role: 'assistant', content: 'Done.', toolCalls: [call] });
  });

  it('removes a message the server never received, keeps one it stored, and shows the error', () => {
    const sending = chatReducer(initialChatState, { type: 'send-started', key: 'k1', text: 'hi' });
    const lost = chatReducer(sending, { type: 'send-failed', key: 'k1', error: 'offline', messageKept: false });
    expect(lost).toMatchObject({ status: 'idle', error: 'offline', messages: [] });
    const kept = chatReducer(sending, { type: 'send-failed', key: 'k1', error: 'busy', messageKept: true });
    expect(kept.messages).toHaveLength(1);
  });

  it('carries on in the conversation the server created before the assistant failed', () => {
    const sending = chatReducer(initialChatState, { type: 'send-started', key: 'k1', text: 'hi' });
    const failed = chatReducer(sending, { type: 'send-failed', key: 'k1', error: 'busy', messageKept: true, conversationId: 12 });
    expect(failed.conversationId).toBe(12);
  });

  it('opens a stored conversation, ignoring an answer for one no longer open', () => {
    const opening = chatReducer(initialChatState, { type: 'open-started', conversationId: 3 });
    expect(opening).toMatchObject({ status: 'loading', conversationId: 3, messages: [] });

    const stale = chatReducer(chatReducer(opening, { type: 'open-started', conversationId: 4 }), {
      type: 'opened',
      conversationId: 3,
      messages: [],
    });
    expect(stale).toMatchObject({ status: 'loading', conversationId: 4 });

    const opened = chatReducer(opening, {
      type: 'opened',
      conversationId: 3,
      messages: [
        { id: 1, role: 'user', content: 'hi', created_at: '' },
        { id: 2, role: 'assistant', content: 'hello', tool_calls: null, created_at: '' },
      ],
    });
    expect(opened.status).toBe('idle');
    expect(opened.messages.map((m) => [m.role, m.content, m.toolCalls])).toEqual([
      ['user', 'hi', []],
      ['assistant', 'hello', []],
    ]);
  });

  it('starts a new conversation from scratch, and a failed open leaves none open', () => {
    const sent = chatReducer(chatReducer(initialChatState, { type: 'send-started', key: 'k', text: 'x' }), {
      type: 'replied',
      key: 'k',
      reply: reply(9),
    });
    expect(chatReducer(sent, { type: 'new-conversation' })).toEqual(initialChatState);
    expect(chatReducer(sent, { type: 'open-failed', error: 'gone' })).toMatchObject({ conversationId: null, error: 'gone' });
  });
});

describe('replyChangedTasks', () => {
  it('is true exactly when the assistant used a tool', () => {
    expect(replyChangedTasks(reply(1))).toBe(false);
    expect(replyChangedTasks(reply(1, [{ name: 'complete_task', arguments: { task_id: 1 }, result: {} }]))).toBe(true);
  });
});
