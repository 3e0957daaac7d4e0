import { useRef, useState, type FormEvent } from 'react';
import { useApi } from '../ApiContext';
import { ApiError, describeError } from '../api/problem';
import type { Task } from '../api/types';
import { Field } from '../components/Field';
import { draftKey } from '../drafts/drafts';
import { useDraft } from '../drafts/useDraft';
import { taskInputErrors } from './taskRules';

interface NewTaskFormProps {
  userId: string;
  onAdded: (task: Task) => void;
}

/** One box: type a title, press Enter. The text is only cleared once the task is saved. */
export function NewTaskForm({ userId, onAdded }: NewTaskFormProps) {
  const api = useApi();
  const [title, setTitle] = useDraft(draftKey(userId, 'new-task'));
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const invalid = taskInputErrors(title, '');
    setError(invalid.title);
    if (invalid.title) return inputRef.current?.focus();

    setBusy(true);
    try {
      const task = await api.createTask(userId, { title: title.trim(), description: null });
      setTitle('');
      onAdded(task);
    } catch (failure) {
      setError(failure instanceof ApiError && failure.fieldErrors.title ? failure.fieldErrors.title : describeError(failure));
    } finally {
      setBusy(false);
      inputRef.current?.focus();
    }
  }

  return (
    <form className="new-task" onSubmit={submit} noValidate>
      <Field id="new-task-title" label="New task" error={error} className="new-task-field">
        {(control) => (
          <div className="input-with-button">
            <input
              {...control}
              ref={inputRef}
              type="text"
              autoComplete="off"
              placeholder="What needs doing?"
              value={title}
              onChange={(event) => {
                setTitle(event.target.value);
                if (error) setError(undefined);
              }}
            />
            <button type="submit" className="button-primary" aria-busy={busy}>
              {busy ? 'Adding…' : 'Add'}
            </button>
          </div>
        )}
      </Field>
    </form>
  );
}
