import type { Task, TaskFilter } from '../api/types';

export const taskFilters: readonly { value: TaskFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'completed', label: 'Completed' },
];

export function parseTaskFilter(value: string | null | undefined): TaskFilter {
  return value === 'pending' || value === 'completed' ? value : 'all';
}

export function matchesFilter(task: Task, filter: TaskFilter): boolean {
  if (filter === 'pending') return !task.completed;
  if (filter === 'completed') return task.completed;
  return true;
}

/** The loaded tasks this filter shows: a task completed in "Pending" leaves the view at once. */
export function visibleTasks(tasks: readonly Task[], filter: TaskFilter): Task[] {
  return tasks.filter((task) => matchesFilter(task, filter));
}

export function emptyListMessage(filter: TaskFilter): string {
  switch (filter) {
    case 'pending':
      return 'Nothing pending. Enjoy the calm — or add a task above.';
    case 'completed':
      return 'No completed tasks yet.';
    default:
      return 'No tasks yet. Type one above and press Enter, or ask the assistant.';
  }
}

/** Title rules mirrored from the backend (TaskRules), so a person hears about them before a round trip. */
export const titleMaxLength = 200;
export const descriptionMaxLength = 1000;

export function validateTaskInput(title: string, description: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const trimmed = title.trim();
  if (trimmed === '') errors.title = 'Enter a title.';
  else if (trimmed.length > titleMaxLength) errors.title = `Keep the title to ${titleMaxLength} characters or fewer.`;
  if (description.length > descriptionMaxLength) {
    errors.description = `Keep the description to ${descriptionMaxLength} characters or fewer.`;
  }
  return errors;
}
