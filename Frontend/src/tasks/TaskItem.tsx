import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useApi } from '../ApiContext';
import { ApiError, describeError, type FieldErrors } from '../api/problem';
import type { Task } from '../api/types';
import { Field } from '../components/Field';
import { draftKey } from '../drafts/drafts';
import { useDraft } from '../drafts/useDraft';
import { editDraftFrom, parseEditDraft, serializeEditDraft, type EditDraft } from './editDraft';
import { taskInputErrors } from './taskRules';

interface TaskItemProps {
  userId: string;
  task: Task;
  onChanged: (task: Task) => void;
  onRemoved: (task: Task) => void;
  onProblem: (message: string) => void;
  onAnnounce: (message: string) => void;
}

export function TaskItem({ userId, task, onChanged, onRemoved, onProblem, onAnnounce }: TaskItemProps) {
  const api = useApi();
  const [storedDraft, setStoredDraft] = useDraft(draftKey(userId, `edit-${task.id}`));
  const draft = parseEditDraft(storedDraft);
  const setDraft = (next: EditDraft | null) => setStoredDraft(serializeEditDraft(next));
  const [busy, setBusy] = useState(false);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (draft === null && returnFocus.current) {
      returnFocus.current = false;
      editButtonRef.current?.focus();
    }
  }, [draft]);

  async function toggle() {
    const completed = !task.completed;
    onChanged({ ...task, completed });
    try {
      onChanged(await api.setCompleted(userId, task.id, completed));
      onAnnounce(completed ? `Completed “${task.title}”.` : `Marked “${task.title}” as not done.`);
    } catch (error) {
      onChanged(task);
      if (error instanceof ApiError && error.status === 404) onRemoved(task);
      onProblem(`Couldn't update “${task.title}”. ${describeError(error)}`);
    }
  }

  async function remove() {
    setBusy(true);
    try {
      await api.deleteTask(userId, task.id);
      onRemoved(task);
      onAnnounce(`Deleted “${task.title}”.`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) onRemoved(task);
      else onProblem(`Couldn't delete “${task.title}”. ${describeError(error)}`);
      setBusy(false);
    }
  }

  if (draft !== null) {
    return (
      <li className="task task-editing">
        <TaskEditForm
          userId={userId}
          task={task}
          draft={draft}
          onDraftChange={setDraft}
          onDone={(saved) => {
            returnFocus.current = true;
            setDraft(null);
            if (saved) {
              onChanged(saved);
              onAnnounce(`Saved “${saved.title}”.`);
            }
          }}
          onGone={() => {
            setDraft(null);
            onRemoved(task);
            onProblem(`“${task.title}” was deleted elsewhere.`);
          }}
          onLatest={onChanged}
        />
      </li>
    );
  }

  const titleId = `task-${task.id}-title`;
  return (
    <li className={task.completed ? 'task task-done' : 'task'}>
      <input
        type="checkbox"
        className="task-check"
        checked={task.completed}
        onChange={toggle}
        aria-labelledby={titleId}
        disabled={busy}
      />
      <div className="task-text" onDoubleClick={() => setDraft(editDraftFrom(task))}>
        <span id={titleId} className="task-title">
          {task.title}
        </span>{' '}
        {/* The id the assistant and MCP clients know the task by ("mark task 3 as complete"). */}
        <span className="task-id">#{task.id}</span>
        {task.description && <p className="task-description">{task.description}</p>}
      </div>
      <div className="task-actions">
        <button
          type="button"
          ref={editButtonRef}
          aria-label={`Edit ${task.title}`}
          onClick={() => setDraft(editDraftFrom(task))}
          disabled={busy}
        >
          Edit
        </button>
        <button
          type="button"
          className="button-danger"
          aria-label={`Delete ${task.title}`}
          onClick={remove}
          disabled={busy}
        >
          {busy ? 'Deleting…' : 'Delete'}
        </button>
      </div>
    </li>
  );
}

interface TaskEditFormProps {
  userId: string;
  task: Task;
  draft: EditDraft;
  onDraftChange: (draft: EditDraft) => void;
  /** Saved (with the stored task) or cancelled (null). */
  onDone: (saved: Task | null) => void;
  onGone: () => void;
  onLatest: (task: Task) => void;
}

function TaskEditForm({ userId, task, draft, onDraftChange, onDone, onGone, onLatest }: TaskEditFormProps) {
  const api = useApi();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The version being edited: a save that would overwrite someone else's newer change is refused (412).
  const etag = useRef<string | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    titleRef.current?.focus();
    let current = true;
    api.getTask(userId, task.id).then(
      (response) => {
        if (current) etag.current = response.etag;
      },
      (error: unknown) => {
        if (current && error instanceof ApiError && error.status === 404) onGone();
      },
    );
    return () => {
      current = false;
    };
    // Once per edit: the version is the one the person started from.
  }, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    const invalid = taskInputErrors(draft.title, draft.description);
    setErrors(invalid);
    setFormError(null);
    if (invalid.title) return titleRef.current?.focus();
    if (invalid.description) return descriptionRef.current?.focus();

    setSaving(true);
    try {
      const input = { title: draft.title.trim(), description: draft.description.trim() || null };
      onDone(await api.updateTask(userId, task.id, input, etag.current));
    } catch (error) {
      setSaving(false);
      if (error instanceof ApiError && error.status === 404) return onGone();
      if (error instanceof ApiError && (error.status === 412 || error.status === 409)) {
        const latest = await api.getTask(userId, task.id).catch(() => null);
        if (latest) {
          etag.current = latest.etag;
          onLatest(latest.data);
        }
        setFormError('This task was changed elsewhere while you edited it. Saving again will replace that change.');
        return;
      }
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length > 0) {
        setErrors(error.fieldErrors);
        return;
      }
      setFormError(describeError(error));
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onDone(null);
    }
  }

  const idBase = `task-${task.id}-edit`;
  return (
    <form className="task-edit" onSubmit={save} onKeyDown={onKeyDown} aria-label={`Edit ${task.title}`} noValidate>
      <Field id={`${idBase}-title`} label="Title" error={errors.title}>
        {(control) => (
          <input
            {...control}
            ref={titleRef}
            type="text"
            autoComplete="off"
            value={draft.title}
            onChange={(event) => onDraftChange({ ...draft, title: event.target.value })}
          />
        )}
      </Field>
      <Field id={`${idBase}-description`} label="Description (optional)" error={errors.description}>
        {(control) => (
          <textarea
            {...control}
            ref={descriptionRef}
            rows={2}
            value={draft.description}
            onChange={(event) => onDraftChange({ ...draft, description: event.target.value })}
          />
        )}
      </Field>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="task-edit-actions">
        <button type="submit" className="button-primary" aria-busy={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
