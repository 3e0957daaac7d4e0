import { useRef, useState } from 'react';

interface CopyFieldProps {
  id: string;
  label: string;
  value: string;
  multiline?: boolean;
}

/** A read-only value with a Copy button; where the clipboard is unavailable the text is selected instead. */
export function CopyField({ id, label, value, multiline }: CopyFieldProps) {
  const [status, setStatus] = useState('');
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('Copied.');
    } catch {
      field.current?.focus();
      field.current?.select();
      setStatus('Selected: press Ctrl+C (⌘C on a Mac) to copy.');
    }
  }

  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="input-with-button">
        {multiline ? (
          <textarea id={id} ref={field} readOnly value={value} rows={3} spellCheck={false} />
        ) : (
          <input id={id} ref={field} readOnly value={value} spellCheck={false} />
        )}
        <button type="button" onClick={() => void copy()} aria-label={`Copy ${label}`}>
          Copy
        </button>
      </div>
      <p className="hint" role="status">
        {status}
      </p>
    </div>
  );
}
