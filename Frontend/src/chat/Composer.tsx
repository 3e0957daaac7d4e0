import type { FormEvent, KeyboardEvent } from 'react';

/** The backend's limit for one chat message (ConversationRules). */
export const messageMaxLength = 4000;

interface ComposerProps {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  busy: boolean;
}

/** Enter sends; Shift+Enter starts a new line. */
export function Composer({ value, onChange, onSend, busy }: ComposerProps) {
  const tooLong = value.length > messageMaxLength;
  const remaining = messageMaxLength - value.length;

  function submit(event: FormEvent) {
    event.preventDefault();
    onSend();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onSend();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="chat-message" className="visually-hidden">
        Message the assistant
      </label>
      <textarea
        id="chat-message"
        rows={2}
        placeholder="Ask the assistant… (Enter to send)"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong}
        aria-describedby={remaining < 500 ? 'chat-message-count' : undefined}
      />
      <button type="submit" className="button-primary" disabled={busy || tooLong || value.trim() === ''}>
        Send
      </button>
      {remaining < 500 && (
        <p id="chat-message-count" className={tooLong ? 'field-error' : 'hint'}>
          {tooLong
            ? `Too long by ${-remaining} characters (the limit is ${messageMaxLength}).`
            : `${remaining} characters left.`}
        </p>
      )}
    </form>
  );
}
