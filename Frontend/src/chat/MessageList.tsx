import { useEffect, useRef } from 'react';
import type { ToolCall } from '../api/types';
import type { ChatState, DisplayMessage } from './chatReducer';

const examples = ['Add a task to buy groceries', "What's pending?", 'Mark task 1 as complete', 'Show me all my tasks'];

interface MessageListProps {
  messages: DisplayMessage[];
  status: ChatState['status'];
  onExample: (text: string) => void;
}

export function MessageList({ messages, status, onExample }: MessageListProps) {
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, status]);

  return (
    // Focusable so a keyboard user can scroll a long conversation.
    <div className="messages" role="log" aria-label="Conversation with the assistant" tabIndex={0}>
      {status === 'loading' && (
        <p className="state-message" role="status">
          Loading the conversation…
        </p>
      )}
      {status !== 'loading' && messages.length === 0 && (
        <div className="chat-empty">
          <p>Ask me to add, list, complete, change or delete your tasks. For example:</p>
          <ul>
            {examples.map((example) => (
              <li key={example}>
                <button type="button" className="button-link" onClick={() => onExample(example)}>
                  {example}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {messages.map((message) => (
        <article key={message.key} className={`message message-${message.role}`}>
          <h3 className="visually-hidden">{message.role === 'user' ? 'You said' : 'Assistant replied'}</h3>
          <p className="message-text">{message.content}</p>
          {message.toolCalls.length > 0 && <ToolCalls calls={message.toolCalls} />}
        </article>
      ))}
      {status === 'sending' && (
        <p className="message message-assistant message-pending" role="status">
          <span className="typing" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          The assistant is working…
        </p>
      )}
      <div ref={end} />
    </div>
  );
}

function ToolCalls({ calls }: { calls: ToolCall[] }) {
  return (
    <details className="tool-calls">
      <summary>
        Tools used: {calls.map((call) => call.name).join(', ')}
      </summary>
      <ol>
        {calls.map((call, index) => (
          <li key={index}>
            <code className="tool-name">{call.name}</code>
            <dl>
              <dt>Arguments</dt>
              <dd>
                <pre>{formatJson(call.arguments)}</pre>
              </dd>
              <dt>Result</dt>
              <dd>
                <pre>{formatJson(call.result)}</pre>
              </dd>
            </dl>
          </li>
        ))}
      </ol>
    </details>
  );
}

function formatJson(value: unknown): string {
  if (value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}
