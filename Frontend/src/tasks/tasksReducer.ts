import type { Task } from '../api/types';

export interface TasksState {
  status: 'loading' | 'ready' | 'error';
  tasks: Task[];
  /** The last page was full: there may be more on the server. */
  hasMore: boolean;
  loadingMore: boolean;
  error: string | null;
}

export type TasksAction =
  | { type: 'load-started' }
  | { type: 'loaded'; tasks: Task[]; hasMore: boolean }
  | { type: 'load-failed'; error: string }
  | { type: 'more-started' }
  | { type: 'more-loaded'; tasks: Task[]; hasMore: boolean }
  | { type: 'more-failed'; error: string }
  | { type: 'added'; task: Task }
  | { type: 'changed'; task: Task }
  | { type: 'removed'; id: number };

export const initialTasksState: TasksState = {
  status: 'loading',
  tasks: [],
  hasMore: false,
  loadingMore: false,
  error: null,
};

export function tasksReducer(state: TasksState, action: TasksAction): TasksState {
  switch (action.type) {
    case 'load-started':
      // A refresh keeps showing what is there; only the first load shows "Loading".
      return { ...state, status: state.status === 'ready' ? 'ready' : 'loading', error: null };
    case 'loaded':
      return { ...state, status: 'ready', tasks: keepNewer(state.tasks, action.tasks), hasMore: action.hasMore, error: null };
    case 'load-failed':
      return { ...state, status: state.status === 'ready' ? 'ready' : 'error', error: action.error };
    case 'more-started':
      return { ...state, loadingMore: true, error: null };
    case 'more-loaded': {
      const known = new Set(state.tasks.map((task) => task.id));
      const fresh = action.tasks.filter((task) => !known.has(task.id));
      return { ...state, loadingMore: false, tasks: [...state.tasks, ...fresh], hasMore: action.hasMore };
    }
    case 'more-failed':
      return { ...state, loadingMore: false, error: action.error };
    case 'added':
      return { ...state, tasks: [action.task, ...state.tasks.filter((task) => task.id !== action.task.id)] };
    case 'changed':
      return { ...state, tasks: state.tasks.map((task) => (task.id === action.task.id ? action.task : task)) };
    case 'removed':
      return { ...state, tasks: state.tasks.filter((task) => task.id !== action.id) };
  }
}

/**
 * The loaded list, but where it holds an older version of a task than the one already here (a list read on the
 * server before a change this page saw confirmed had committed: a toggle, then a filter switch), the newer one: the
 * older answer must not undo a change the server has already acknowledged.
 */
function keepNewer(held: readonly Task[], loaded: Task[]): Task[] {
  const byId = new Map(held.map((task) => [task.id, task]));
  return loaded.map((task) => {
    const ours = byId.get(task.id);
    return ours !== undefined && Date.parse(ours.updated_at) > Date.parse(task.updated_at) ? ours : task;
  });
}
