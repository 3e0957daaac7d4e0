import type { Task } from '../api/types';

export interface EditDraft {
  title: string;
  description: string;
}

/** An inline edit in progress, stored as text so it survives a sign-in round trip; '' means "not editing". */
export function parseEditDraft(stored: string): EditDraft | null {
  if (stored === '') return null;
  try {
    const value = JSON.parse(stored) as Partial<EditDraft>;
    return typeof value.title === 'string' && typeof value.description === 'string'
      ? { title: value.title, description: value.description }
      : null;
  } catch {
    return null;
  }
}

export function serializeEditDraft(draft: EditDraft | null): string {
  return draft === null ? '' : JSON.stringify(draft);
}

export function editDraftFrom(task: Task): EditDraft {
  return { title: task.title, description: task.description ?? '' };
}
