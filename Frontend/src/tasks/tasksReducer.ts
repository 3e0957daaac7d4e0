import type { Task } from '../api/types';

export interface TasksState {
  status: 'loading' | 'ready' | 'error';
  tasks: Task[];
  /** The last page was full: there may be more on the server. */
  hasMore: boolean;
  loadingMore: boolean;
  error: string | null;
  /** Tasks this page deleted: the server never reuses an id, so a list answer that still has one read it before the delete. */
  deletedIds: readonly number[];
  /** Tasks this page added since the last load started: that load's answer may have been read before they were. */
  addedSinceLoad: readonly number[];
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
  deletedIds: [],
  addedSinceLoad: [],
};

export function tasksReducer(state: TasksState, action: TasksAction): TasksState {
  switch (action.type) {
    case 'load-started':
      // A refresh keeps showing what is there; only the first load shows "Loading".
      return { ...state, status: state.status === 'ready' ? 'ready' : 'loading', error: null, addedSinceLoad: [] };
    case 'loaded':
      return { ...state, status: 'ready', tasks: reconcile(state, action.tasks), hasMore: action.hasMore, error: null };
    case 'load-failed':
      return { ...state, status: state.status === 'ready' ? 'ready' : 'error', error: action.error };
    case 'more-started':
      return { ...state, loadingMore: true, error: null };
    case 'more-loaded': {
      const known = new Set([...state.tasks.map((task) => task.id), ...state.deletedIds]);
      const fresh = action.tasks.filter((task) => !known.has(task.id));
      return { ...state, loadingMore: false, tasks: [...state.tasks, ...fresh], hasMore: action.hasMore };
    }
    case 'more-failed':
      return { ...state, loadingMore: false, error: action.error };
    case 'added':
      return {
        ...state,
        tasks: [action.task, ...state.tasks.filter((task) => task.id !== action.task.id)],
        addedSinceLoad: [...state.addedSinceLoad, action.task.id],
      };
    case 'changed':
      return { ...state, tasks: state.tasks.map((task) => (task.id === action.task.id ? action.task : task)) };
    case 'removed':
      return { ...state, tasks: state.tasks.filter((task) => task.id !== action.id), deletedIds: [...state.deletedIds, action.id] };
  }
}

/**
 * The loaded list, reconciled with what this page saw the server confirm while the list was being read (a list read
 * on the server before a change committed must not undo it): a task this page holds in a newer version (a toggle,
 * then a filter switch) keeps that version, a task it deleted stays gone, and one it added meanwhile stays, first.
 */
function reconcile(state: TasksState, loaded: Task[]): Task[] {
  const held = new Map(state.tasks.map((task) => [task.id, task]));
  const deleted = new Set(state.deletedIds);
  const inLoaded = new Set(loaded.map((task) => task.id));
  const addedMeanwhile = state.addedSinceLoad
    .filter((id) => !inLoaded.has(id))
    .map((id) => held.get(id))
    .filter((task): task is Task => task !== undefined);
  const newest = loaded.map((task) => {
    const ours = held.get(task.id);
    return ours !== undefined && Date.parse(ours.updated_at) > Date.parse(task.updated_at) ? ours : task;
  });
  return [...addedMeanwhile.reverse(), ...newest].filter((task) => !deleted.has(task.id));
}
