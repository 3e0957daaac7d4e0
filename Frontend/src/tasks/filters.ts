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
